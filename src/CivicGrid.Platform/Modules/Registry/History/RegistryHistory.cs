using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
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
        var code = within?.Trim();
        if (code is { Length: > 0 } && DivisionCode.LevelOf(code) is null)
        {
            return new FieldErrors().Add("within", "within 须为区划或网格代码").ToError()!;
        }
        var changes = db.Set<RegistryChange>().AsNoTracking();
        if (code is { Length: > 0 })
        {
            if (await divisions.FindAsync(code, cancellationToken) is null)
            {
                return Error.NotFound("registry.division_not_found", $"没有区划或网格 {code}");
            }
            var upper = CivicGridDbContext.UpperBound(code);
            changes = changes.Where(c => string.Compare(c.GridCode, code) >= 0 && string.Compare(c.GridCode, upper) < 0);
        }
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
