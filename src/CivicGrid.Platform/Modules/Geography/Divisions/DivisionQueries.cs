using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Domain;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Geography.Divisions;

/// <summary>Reads divisions for the API and the pages.</summary>
internal sealed class DivisionQueries(CivicGridDbContext db)
{
    public async Task<Result<Paged<DivisionSummary>>> ListAsync(
        string? parent, DivisionLevel? level, string? q, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        // An empty query value (?parent=) means "not given", as a browser form sends it.
        parent = string.IsNullOrWhiteSpace(parent) ? null : parent.Trim();
        var paging = PageRequest.From(page, pageSize);
        var errors = new FieldErrors()
            .When(parent is not null && DivisionCode.LevelOf(parent) is null, "parent", "上级代码格式有误（2/4/6/9/12/15 位数字）")
            .When(q is { Length: > 50 }, "q", "搜索词最多 50 字");
        if (!paging.IsSuccess)
        {
            foreach (var (field, messages) in paging.Error!.Fields!)
            {
                foreach (var message in messages)
                {
                    errors.Add(field, message);
                }
            }
        }
        if (errors.ToError() is { } error)
        {
            return error;
        }

        var query = db.Set<Division>().AsNoTracking();
        if (parent is not null)
        {
            query = query.Where(d => d.ParentCode == parent);
        }
        if (level is not null)
        {
            query = query.Where(d => d.Level == level);
        }
        if (!string.IsNullOrWhiteSpace(q))
        {
            query = query.Where(d => d.Name.Contains(q));
        }
        var request = paging.Value;
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderBy(d => d.Code).Skip(request.Skip).Take(request.PageSize)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .ToListAsync(cancellationToken);
        return new Paged<DivisionSummary>(items, total, request.Page, request.PageSize);
    }

    public async Task<Result<DivisionDetails>> GetAsync(string code, CancellationToken cancellationToken)
    {
        if (CheckCode(code) is { } invalid)
        {
            return invalid;
        }
        var division = await db.Set<Division>().AsNoTracking().SingleOrDefaultAsync(d => d.Code == code, cancellationToken);
        if (division is null)
        {
            return NotFound(code);
        }
        var ancestorCodes = DivisionCode.AncestorsOf(code).ToList();
        var ancestors = await db.Set<Division>().AsNoTracking()
            .Where(d => ancestorCodes.Contains(d.Code))
            .OrderBy(d => d.Level)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .ToListAsync(cancellationToken);
        var children = await db.Set<Division>().CountAsync(d => d.ParentCode == code, cancellationToken);
        return new DivisionDetails(division.Code, division.Name, division.Level, division.ParentCode, children, ancestors);
    }

    public async Task<Result<IReadOnlyList<DivisionSummary>>> ChildrenAsync(string code, CancellationToken cancellationToken)
    {
        if (CheckCode(code) is { } invalid)
        {
            return invalid;
        }
        if (!await db.Set<Division>().AnyAsync(d => d.Code == code, cancellationToken))
        {
            return NotFound(code);
        }
        List<DivisionSummary> children = await db.Set<Division>().AsNoTracking()
            .Where(d => d.ParentCode == code)
            .OrderBy(d => d.Code)
            .Select(d => new DivisionSummary(d.Code, d.Name, d.Level, d.ParentCode))
            .ToListAsync(cancellationToken);
        return children;
    }

    internal static Error? CheckCode(string code) => DivisionCode.LevelOf(code) is null
        ? Error.Validation("request.validation_failed", "区划代码格式有误",
            new Dictionary<string, string[]> { ["code"] = ["区划代码应为 2/4/6/9/12/15/18 位数字"] })
        : null;

    internal static Error NotFound(string code) =>
        Error.NotFound("geo.division_not_found", $"区划 {code} 不存在");
}
