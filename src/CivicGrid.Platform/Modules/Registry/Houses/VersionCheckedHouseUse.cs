using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Registry.Contracts;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary>
/// The house's use (<c>POST /api/v1/workbench/houses/{id}/use</c>) (自住, 出租, 空置, 商用) changed at the
/// door, maybe hours ago offline. Applied through the registry's own <see cref="HouseDirectory"/> (its
/// rules, its jurisdiction check, its field history) only if the house is as the phone saw it
/// (<c>If-Match</c>, from <c>/workbench/today</c>); otherwise 409 with the caller's code and the
/// current house. The registry keeps no row version: a change landing between this check and the save
/// is not caught (a window of one request).
/// </summary>
internal sealed class VersionCheckedHouseUse(HouseDirectory houses) : IVersionCheckedHouseUse
{
    public async Task<IResult> ChangeUseAsync(Guid id, string? ifMatch, HouseUse? use, string conflictCode, CancellationToken ct)
    {
        var found = await houses.GetHouseAsync(id, ct);
        if (!found.IsSuccess)
        {
            return found.Error!.ToProblem();
        }
        var errors = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(ifMatch), "If-Match", "须带上房屋的版本（If-Match）")
            .When(use is null || !Enum.IsDefined(use.Value), "use", "请选择房屋用途");
        if (errors.ToError() is { } invalid)
        {
            return invalid.ToProblem();
        }
        var house = found.Value.House;
        var version = IVersionCheckedHouseUse.VersionOf(house.UpdatedAt);
        if (!string.Equals(version, ifMatch!.Trim(), StringComparison.Ordinal))
        {
            return TypedResults.Problem(detail: "该房屋信息已被他人修改，请查看当前信息", statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { [ProblemMapping.CodeKey] = conflictCode, ["current"] = house, ["version"] = version });
        }
        var input = new HouseInput(house.BuildingId, house.UnitId, house.Floor, house.Room, house.Area, use, house.Address, house.GridCode,
            house.Lon, house.Lat);
        return (await houses.SaveHouseAsync(id, input, ct)).ToHttp();
    }
}
