using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Registry.Houses;
using Microsoft.AspNetCore.Http;

namespace CivicGrid.Modules.Workbench;

/// <summary>
/// <c>POST /api/v1/workbench/houses/{id}/use</c>: the house's use (自住, 出租, 空置, 商用) changed at the
/// door, maybe hours ago offline. Applied through the registry's own <see cref="HouseDirectory"/> (its
/// rules, its jurisdiction check, its field history) only if the house is as the phone saw it
/// (<c>If-Match</c>, from <c>/workbench/today</c>); otherwise 409 <c>workbench.house_changed</c> with the
/// current house. The registry keeps no row version: a change landing between this check and the save
/// is not caught (a window of one request).
/// </summary>
internal sealed class WorkbenchHouseEdit(HouseDirectory houses)
{
    public const string Changed = "workbench.house_changed";

    public async Task<IResult> UseAsync(Guid id, string? ifMatch, WorkbenchHouseUse? body, CancellationToken ct)
    {
        var found = await houses.GetHouseAsync(id, ct);
        if (!found.IsSuccess)
        {
            return found.Error!.ToProblem();
        }
        var errors = new FieldErrors()
            .When(string.IsNullOrWhiteSpace(ifMatch), "If-Match", "须带上房屋的版本（If-Match）")
            .When(body?.Use is null || !Enum.IsDefined(body.Use.Value), "use", "请选择房屋用途");
        if (errors.ToError() is { } invalid)
        {
            return invalid.ToProblem();
        }
        var house = found.Value.House;
        if (!string.Equals(WorkbenchQueries.VersionOf(house.UpdatedAt), ifMatch!.Trim(), StringComparison.Ordinal))
        {
            return WorkbenchModule.Conflict(Changed, "该房屋信息已被他人修改，请查看当前信息", house, WorkbenchQueries.VersionOf(house.UpdatedAt));
        }
        var input = new HouseInput(house.BuildingId, house.UnitId, house.Floor, house.Room, house.Area, body!.Use, house.Address, house.GridCode,
            house.Lon, house.Lat);
        return (await houses.SaveHouseAsync(id, input, ct)).ToHttp();
    }
}
