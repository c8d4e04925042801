using System.Collections.Frozen;
using CivicGrid.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases.Domain;

/// <summary>
/// The classification and its duty rows, read once and kept for a minute: every intake, action and
/// detail needs a category, and the table changes a few times a year. An edit made through this
/// process is seen at once (<see cref="Invalidate"/>), one made elsewhere within the minute.
/// </summary>
internal sealed class CaseCategoryCatalog(IServiceScopeFactory scopes, TimeProvider clock)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private (FrozenDictionary<string, CaseCategory> ByCode, DateTimeOffset ReadAt)? _cached;

    /// <summary>Every category by its code.</summary>
    public async Task<FrozenDictionary<string, CaseCategory>> AllAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            if (_cached is { } c && now - c.ReadAt < KeepFor && now >= c.ReadAt)
            {
                return c.ByCode;
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var all = (await db.Set<CaseCategory>().AsNoTracking().ToListAsync(cancellationToken))
            .ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
        lock (_gate)
        {
            _cached = (all, now);
        }
        return all;
    }

    /// <summary>The category of that code, or null.</summary>
    public async Task<CaseCategory?> FindAsync(string code, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).GetValueOrDefault(code);

    /// <summary>The category of a stored case (its code is a foreign key, so it exists).</summary>
    public async Task<CaseCategory> GetAsync(string code, CancellationToken cancellationToken) =>
        await FindAsync(code, cancellationToken) ?? throw new InvalidOperationException($"case category {code} is missing");

    /// <summary>Forgets the cached categories (after an edit).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _cached = null;
        }
    }
}
