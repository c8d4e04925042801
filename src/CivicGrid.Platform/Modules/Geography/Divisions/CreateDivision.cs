using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Geography.Divisions;

/// <summary>The body of <c>POST /api/v1/divisions</c>.</summary>
public sealed record CreateDivisionRequest(string? Code, string? Name);

/// <summary>Adds one division or grid under an existing parent (the parent is the code's prefix).</summary>
internal sealed class CreateDivision(CivicGridDbContext db, ICaller caller)
{
    public async Task<Result<DivisionSummary>> HandleAsync(CreateDivisionRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var level = DivisionCode.LevelOf(request.Code);
        errors.When(level is null, "code", "区划代码应为 2/4/6/9/12/15/18 位数字");
        errors.When(string.IsNullOrWhiteSpace(request.Name), "name", "名称不能为空");
        errors.When(request.Name is { Length: > 100 }, "name", "名称最多 100 字");
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }

        var code = request.Code!;
        var parent = DivisionCode.ParentOf(code);
        if (parent is not null && !await db.Set<Division>().AnyAsync(d => d.Code == parent, cancellationToken))
        {
            return new FieldErrors().Add("code", $"上级区划 {parent} 不存在").ToError()!;
        }
        if (!caller.Can(Capabilities.GeoEdit, parent ?? code))
        {
            return Error.Forbidden("geo.edit_forbidden", $"您无权在 {parent ?? code} 下添加区划");
        }
        // A code taken outside the caller's view is still taken.
        if (await db.Set<Division>().IgnoreQueryFilters().AnyAsync(d => d.Code == code, cancellationToken))
        {
            return Error.Conflict("geo.division_exists", $"区划 {code} 已存在");
        }

        var division = new Division(code, request.Name!.Trim(), level!.Value, parent);
        db.Add(division);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Lost a race with another request creating the same code.
            return Error.Conflict("geo.division_exists", $"区划 {code} 已存在");
        }
        return new DivisionSummary(division.Code, division.Name, division.Level, division.ParentCode);
    }
}
