using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CivicGrid.Modules.Cases.Deadlines;

/// <summary>One day of the holiday calendar as the API shows and takes it.</summary>
public sealed record CaseHolidayView(DateOnly Date, string Kind, string? Name);

/// <summary><c>GET/PUT /api/v1/case-holidays/{year}</c>: the year's public holidays and make-up working days.</summary>
internal static class CaseHolidayEndpoints
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;

    public static RouteGroupBuilder MapCaseHolidayEndpoints(this RouteGroupBuilder api)
    {
        var holidays = api.MapGroup("/case-holidays").WithTags("Cases");
        holidays.MapGet("/{year:int}", async (int year, CivicGridDbContext db, CancellationToken ct) =>
                (await GetAsync(db, year, ct)).ToHttp())
            .RequireCapability(Capabilities.CasesAdmin)
            .WithSummary("The year's exceptions to the Monday-to-Friday week: days off (`holiday`) and make-up working days (`workday`, 调休); needs cases.admin")
            .Produces<IReadOnlyList<CaseHolidayView>>()
            .ProducesValidationProblem();

        holidays.MapPut("/{year:int}", async (int year, IReadOnlyList<CaseHolidayView>? body, CivicGridDbContext db,
                WorkingCalendarSource calendars, CancellationToken ct) =>
            {
                var result = await PutAsync(db, year, body ?? [], ct);
                calendars.Invalidate();
                return result.ToHttp();
            })
            .RequireCapability(Capabilities.CasesAdmin)
            .WithSummary("Replaces the year's holidays and make-up working days; deadlines started from now on use them; needs cases.admin")
            .Produces<IReadOnlyList<CaseHolidayView>>()
            .ProducesValidationProblem();
        return api;
    }

    private static async Task<Result<IReadOnlyList<CaseHolidayView>>> GetAsync(CivicGridDbContext db, int year, CancellationToken ct)
    {
        if (YearError(year) is { } invalid)
        {
            return invalid;
        }
        var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        return await db.Set<CaseHoliday>().AsNoTracking().Where(h => h.Date >= first && h.Date <= last).OrderBy(h => h.Date)
            .Select(h => new CaseHolidayView(h.Date, h.Kind, h.Name)).ToListAsync(ct);
    }

    private static async Task<Result<IReadOnlyList<CaseHolidayView>>> PutAsync(CivicGridDbContext db, int year,
        IReadOnlyList<CaseHolidayView> days, CancellationToken ct)
    {
        if (YearError(year) is { } invalid)
        {
            return invalid;
        }
        var errors = new FieldErrors()
            .When(days.Count > 366, "days", "一年最多 366 天")
            .When(days.Any(d => d is null || d.Date.Year != year), "date", $"日期须在 {year} 年内")
            .When(days.Any(d => d is not null && !HolidayKinds.All.Contains(d.Kind)), "kind", $"kind 须为 {string.Join("、", HolidayKinds.All)} 之一")
            .When(days.Any(d => d?.Name is { Length: > 50 }), "name", "名称最多 50 字")
            .When(days.Where(d => d is not null).GroupBy(d => d.Date).Any(g => g.Count() > 1), "date", "同一日期只能出现一次");
        if (errors.ToError() is { } bad)
        {
            return bad;
        }
        var (first, last) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Set<CaseHoliday>().Where(h => h.Date >= first && h.Date <= last).ExecuteDeleteAsync(ct);
        db.AddRange(days.Select(d => new CaseHoliday(d.Date, d.Kind, string.IsNullOrWhiteSpace(d.Name) ? null : d.Name.Trim())));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return await GetAsync(db, year, ct);
    }

    private static Error? YearError(int year) =>
        new FieldErrors().When(year is < MinYear or > MaxYear, "year", $"年份须在 {MinYear} 到 {MaxYear} 之间").ToError();
}
