using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Houses;

/// <summary><see cref="ICompoundPlaces"/> over the compounds table.</summary>
internal sealed class CompoundPlaces(CivicGridDbContext db) : ICompoundPlaces
{
    public Task<CompoundPlace?> FindAsync(Guid id, CancellationToken cancellationToken = default) =>
        db.Set<Compound>().IgnoreQueryFilters().AsNoTracking().Where(c => c.Id == id)
            .Select(c => new CompoundPlace(c.Id, c.Name, c.GridCode, c.Lon, c.Lat)).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<CompoundPlace>> WithinAsync(string code, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        var upper = CivicGridDbContext.UpperBound(code);
        return await db.Set<Compound>().IgnoreQueryFilters().AsNoTracking()
            .Where(c => string.Compare(c.GridCode, code) >= 0 && string.Compare(c.GridCode, upper) < 0)
            .OrderBy(c => c.GridCode).ThenBy(c => c.Name).Take(max)
            .Select(c => new CompoundPlace(c.Id, c.Name, c.GridCode, c.Lon, c.Lat)).ToListAsync(cancellationToken);
    }
}
