using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CivicGrid.Modules.Registry.History;

/// <summary>
/// Before a save, turns every added, modified or deleted <see cref="IRegistryRecord"/> into
/// <c>registry_changes</c> rows added to the same save, so the history commits or rolls back with
/// the change itself. Who is the caller (or <c>system</c>), when is the <see cref="TimeProvider"/>'s now.
/// A singleton, as the pooled contexts need (docs/adr/0019): the caller is the renting request's,
/// found through the context's scope.
/// </summary>
internal sealed class RegistryHistoryInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Record(DbContext? context)
    {
        if (context is null)
        {
            return;
        }
        // Entries<T>() detects changes first (when automatic detection is on, as for the save itself).
        var entries = context.ChangeTracker.Entries<IRegistryRecord>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => (EntityEntry)e)
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }
        var at = time.GetUtcNow();
        var by = (context as CivicGridDbContext)?.Scope is ICaller caller ? caller.Name : "system";
        var rows = new List<RegistryChange>();
        foreach (var entry in entries)
        {
            rows.AddRange(Changes(entry, by, at));
        }
        context.AddRange(rows);
    }

    private static IEnumerable<RegistryChange> Changes(EntityEntry entry, string by, DateTimeOffset at)
    {
        var record = (IRegistryRecord)entry.Entity;
        var type = entry.Metadata;
        var (changes, operation) = entry.State switch
        {
            EntityState.Added => (RegistryDiff.Compare(type, null, p => entry.CurrentValues[p]), RegistryChange.Created),
            EntityState.Deleted => (RegistryDiff.Compare(type, p => entry.OriginalValues[p], null), RegistryChange.Deleted),
            _ => (RegistryDiff.Compare(type, p => entry.OriginalValues[p], p => entry.CurrentValues[p]), RegistryChange.Updated),
        };
        return RegistryDiff.Rows(changes, record, entry.Entity.GetType(), operation, by, at);
    }
}
