using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Registry.Data;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.History;

/// <summary>One field change as the API and the history page show it.</summary>
internal sealed record RegistryChangeView(
    Guid Id, Guid ChangeSetId, string EntityType, Guid RecordId, string GridCode, string Operation, string Field, string? OldValue,
    string? NewValue, bool Protected, string ChangedBy, DateTimeOffset ChangedAt);

/// <summary>Reads the field history; scoped by the records' grids, so a change outside the caller's subtrees does not exist for him.</summary>
internal sealed class RegistryHistory(CivicGridDbContext db, IDivisionDirectory divisions)
{
    public async Task<Result<Paged<RegistryChangeView>>> ListAsync(Guid? recordId, string? within, int? page, int? pageSize,
        CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        if (!paging.IsSuccess)
        {
            return paging.Error!;
        }
        var filtered = await Within.FilterAsync(db.Set<RegistryChange>().AsNoTracking(), within, divisions, cancellationToken);
        if (!filtered.IsSuccess)
        {
            return filtered.Error!;
        }
        var changes = filtered.Value;
        if (recordId is { } id)
        {
            changes = changes.Where(c => c.RecordId == id);
        }
        var request = paging.Value;
        var total = await changes.CountAsync(cancellationToken);
        var rows = await changes.OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.ChangeSetId).ThenBy(c => c.Id)
            .Skip(request.Skip).Take(request.PageSize)
            .Select(c => new RegistryChangeView(c.Id, c.ChangeSetId, c.EntityType, c.RecordId, c.GridCode, c.Operation, c.Field, c.OldValue,
                c.NewValue, c.Protected, c.ChangedBy, c.ChangedAt))
            .ToListAsync(cancellationToken);
        return new Paged<RegistryChangeView>(rows, total, request.Page, request.PageSize);
    }
}
