using System.Globalization;
using CivicGrid.Infrastructure.Api;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Data;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Registry.Organizations;

/// <summary>The services a located record's use cases need.</summary>
internal sealed record LocatedServices(
    CivicGridDbContext Db, ICaller Caller, IGeoLocator Locator, IDivisionDirectory Divisions, TimeProvider Time);

/// <summary>
/// List, read, create and replace one kind of <see cref="LocatedRecord"/>: scoped reads (a record
/// outside the caller's subtrees is 404), writes with <c>registry.write</c> over the record's grid,
/// the grid from the point (<see cref="IGeoLocator"/>) or chosen, field errors as ProblemDetails.
/// The field history comes with the save (<c>RegistryHistoryInterceptor</c>).
/// </summary>
internal abstract class LocatedRecords<T, TInput, TView>(LocatedServices services)
    where T : LocatedRecord
    where TInput : class, ILocatedInput
    where TView : ILocatedView
{
    protected CivicGridDbContext Db => services.Db;

    /// <summary><c>organization</c>, <c>place</c>, <c>component</c>: error codes and messages.</summary>
    protected abstract string Noun { get; }

    /// <summary>The Chinese name for messages (组织, 场所, 部件).</summary>
    protected abstract string Label { get; }

    /// <summary>Whether a name is required (a component may go by its subclass and code).</summary>
    protected virtual bool NameRequired => true;

    protected abstract T New();

    /// <summary>Checks the kind's own fields.</summary>
    protected abstract void Validate(TInput input, FieldErrors errors);

    /// <summary>Sets the kind's own fields (the common ones are set already).</summary>
    protected abstract void Apply(T record, TInput input);

    protected abstract TView View(T record);

    /// <summary>The <c>q</c> text search.</summary>
    protected abstract IQueryable<T> Search(IQueryable<T> records, string text);

    public async Task<Result<Paged<TView>>> ListAsync(string? within, string? q, Func<IQueryable<T>, IQueryable<T>>? filter, int? page,
        int? pageSize, CancellationToken cancellationToken)
    {
        var paging = PageRequest.From(page, pageSize);
        if (!paging.IsSuccess)
        {
            return paging.Error!;
        }
        var filtered = await Within.FilterAsync(Db.Set<T>().AsNoTracking(), within, services.Divisions, cancellationToken);
        if (!filtered.IsSuccess)
        {
            return filtered.Error!;
        }
        var records = filtered.Value;
        if (q?.Trim() is { Length: > 0 } text)
        {
            records = Search(records, text);
        }
        if (filter is not null)
        {
            records = filter(records);
        }
        var request = paging.Value;
        var total = await records.CountAsync(cancellationToken);
        var rows = await records.OrderBy(r => r.GridCode).ThenBy(r => r.Id).Skip(request.Skip).Take(request.PageSize).ToListAsync(cancellationToken);
        return new Paged<TView>([.. rows.Select(View)], total, request.Page, request.PageSize);
    }

    public async Task<Result<TView>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        var record = await Db.Set<T>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return record is null ? NotFound(id) : View(record);
    }

    public async Task<Result<TView>> CreateAsync(TInput? input, CancellationToken cancellationToken)
    {
        var grid = await ValidateAsync(input, cancellationToken);
        if (!grid.IsSuccess)
        {
            return grid.Error!;
        }
        var now = services.Time.GetUtcNow();
        var record = New();
        record.Id = Guid.CreateVersion7(now);
        record.CreatedAt = now;
        record.CreatedBy = services.Caller.Name;
        Set(record, input!, grid.Value, now);
        Db.Add(record);
        await Db.SaveChangesAsync(cancellationToken);
        return View(record);
    }

    public async Task<Result<TView>> UpdateAsync(Guid id, TInput? input, CancellationToken cancellationToken)
    {
        var record = await Db.Set<T>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (record is null)
        {
            return NotFound(id);
        }
        if (!services.Caller.Can(Capabilities.RegistryWrite, record.GridCode))
        {
            return Error.Forbidden("registry.forbidden", $"无权修改该{Label}");
        }
        var grid = await ValidateAsync(input, cancellationToken);
        if (!grid.IsSuccess)
        {
            return grid.Error!;
        }
        Set(record, input!, grid.Value, services.Time.GetUtcNow());
        await Db.SaveChangesAsync(cancellationToken);
        return View(record);
    }

    private void Set(T record, TInput input, string grid, DateTimeOffset now)
    {
        record.Name = Trimmed(input.Name) ?? string.Empty;
        record.GridCode = grid;
        record.Lon = input.Lon;
        record.Lat = input.Lat;
        record.Address = Trimmed(input.Address);
        record.UpdatedAt = now;
        record.UpdatedBy = services.Caller.Name;
        Apply(record, input);
    }

    /// <summary>The fields, then the grid: the point's, or the one chosen; visible and writable.</summary>
    private async Task<Result<string>> ValidateAsync(TInput? input, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (input is null)
        {
            return errors.Add("$", "请求体为空").ToError()!;
        }
        var name = Trimmed(input.Name);
        errors.When(NameRequired && name is null, "name", "名称不能为空")
            .When(name is { Length: > LocatedRecord.MaxName }, "name", $"名称最多 {LocatedRecord.MaxName} 个字")
            .When(Trimmed(input.Address) is { Length: > LocatedRecord.MaxAddress }, "address", $"地址最多 {LocatedRecord.MaxAddress} 个字")
            .When(input.Lon is null != input.Lat is null, input.Lon is null ? "lon" : "lat", "经纬度须同时填写")
            .When(input.Lon is { } x && (!double.IsFinite(x) || x is < -180 or > 180), "lon", "经度须在 -180 到 180 之间")
            .When(input.Lat is { } y && (!double.IsFinite(y) || y is < -90 or > 90), "lat", "纬度须在 -90 到 90 之间")
            .When(input.Lon is null && string.IsNullOrWhiteSpace(input.GridCode), "gridCode", "须填写位置（经纬度）或网格编码");
        Validate(input, errors);
        if (errors.ToError() is { } invalid)
        {
            return invalid;
        }
        var chosen = input.GridCode?.Trim();
        string? grid = chosen;
        if (input is { Lon: { } lon, Lat: { } lat })
        {
            grid = services.Locator.Locate(lon, lat)?.Grid?.Code;
            if (grid is null)
            {
                return new FieldErrors().Add("lon", "该位置不在任何网格内").ToError()!;
            }
            if (chosen is { Length: > 0 } && chosen != grid)
            {
                return new FieldErrors().Add("gridCode", $"该位置在网格 {grid} 内，与所填网格不符").ToError()!;
            }
        }
        var division = await services.Divisions.FindAsync(grid!, cancellationToken);
        if (division is null || division.Level != DivisionLevel.Grid || !services.Caller.Covers(grid!))
        {
            return new FieldErrors().Add(input.Lon is null ? "gridCode" : "lon", $"没有网格 {grid}").ToError()!;
        }
        if (!services.Caller.Can(Capabilities.RegistryWrite, grid!))
        {
            return Error.Forbidden("registry.forbidden", $"无权在该网格登记{Label}");
        }
        return grid!;
    }

    protected static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private Error NotFound(Guid id) =>
        Error.NotFound($"registry.{Noun}_not_found", string.Create(CultureInfo.InvariantCulture, $"没有{Label} {id}"));
}
