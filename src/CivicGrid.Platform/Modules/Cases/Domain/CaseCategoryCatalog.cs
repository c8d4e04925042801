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
    private readonly Cached<FrozenDictionary<string, CaseCategory>> _cached = new(clock, TimeSpan.FromMinutes(1));

    /// <summary>Every category by its code.</summary>
    public Task<FrozenDictionary<string, CaseCategory>> AllAsync(CancellationToken cancellationToken) =>
        _cached.GetAsync(async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            return (await db.Set<CaseCategory>().AsNoTracking().ToListAsync(ct)).ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
        }, cancellationToken);

    /// <summary>The category of that code, or null.</summary>
    public async Task<CaseCategory?> FindAsync(string code, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).GetValueOrDefault(code);

    /// <summary>The category of a stored case (its code is a foreign key, so it exists).</summary>
    public async Task<CaseCategory> GetAsync(string code, CancellationToken cancellationToken) =>
        await FindAsync(code, cancellationToken) ?? throw new InvalidOperationException($"case category {code} is missing");

    /// <summary>Forgets the cached categories (after an edit).</summary>
    public void Invalidate() => _cached.Invalidate();
}
