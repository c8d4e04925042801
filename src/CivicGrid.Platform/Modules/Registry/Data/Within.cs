using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;

namespace CivicGrid.Modules.Registry.Data;

/// <summary>A registry row that belongs to a grid (and so to every division above it).</summary>
internal interface IInGrid
{
    string GridCode { get; }
}

/// <summary>The <c>within</c> filter of the registry's lists: a division or grid code, its whole subtree.</summary>
internal static class Within
{
    /// <summary>
    /// <paramref name="rows"/> under <paramref name="within"/> (unchanged when it is empty); a code
    /// that is no code is a field error, a division the caller cannot see is 404, not an empty list.
    /// </summary>
    public static async Task<Result<IQueryable<T>>> FilterAsync<T>(IQueryable<T> rows, string? within, IDivisionDirectory divisions,
        CancellationToken cancellationToken)
        where T : class, IInGrid
    {
        var code = within?.Trim();
        if (code is not { Length: > 0 })
        {
            return Result<IQueryable<T>>.Success(rows);
        }
        if (DivisionCode.LevelOf(code) is null)
        {
            return new FieldErrors().Add("within", "within 须为区划或网格代码").ToError()!;
        }
        if (await divisions.FindAsync(code, cancellationToken) is null)
        {
            return Error.NotFound("registry.division_not_found", $"没有区划或网格 {code}");
        }
        // The subtree as a code range [code, code+1): a B-tree range in any collation (ADR 7).
        var upper = CivicGridDbContext.UpperBound(code);
        return Result<IQueryable<T>>.Success(rows.Where(r => string.Compare(r.GridCode, code) >= 0 && string.Compare(r.GridCode, upper) < 0));
    }
}
