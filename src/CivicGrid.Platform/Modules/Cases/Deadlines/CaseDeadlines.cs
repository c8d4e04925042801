using System.Globalization;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Time;
using CivicGrid.Modules.Cases.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Cases.Deadlines;

/// <summary>The traffic light of a case's current stage.</summary>
public static class DeadlineLights
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";

    /// <summary>Red from the due instant, yellow from the warning instant, green before; null without a deadline.</summary>
    public static string? Of(DateTimeOffset? warnAt, DateTimeOffset? dueAt, DateTimeOffset now) =>
        dueAt is null ? null : now >= dueAt ? Red : warnAt is not null && now >= warnAt ? Yellow : Green;
}

/// <summary>
/// The <c>Cases:*</c> deadline settings: <c>Cases:WorkingHours</c> (default
/// <c>08:30-12:00,13:30-17:30</c>, wall-clock in <c>Time:Zone</c>), <c>Cases:WarnAtShare</c>
/// (黄灯 at this share of the stage's working duration, default 0.8) and <c>Cases:SweepEvery</c>
/// (the escalation job's period, default one minute, at most a day); <c>Cases:DeadlineSweep</c>
/// false keeps this host from running the job (another instance runs it). A bad value fails at start-up.
/// </summary>
internal sealed class CaseDeadlineSettings
{
    public const string DefaultWorkingHours = "08:30-12:00,13:30-17:30";

    public CaseDeadlineSettings(IReadOnlyList<WorkingPeriod> workingHours, double warnAtShare, TimeSpan sweepEvery, bool sweep = true)
    {
        Sweep = sweep;
        WorkingHours = workingHours;
        WarnAtShare = warnAtShare;
        SweepEvery = sweepEvery;
    }

    public IReadOnlyList<WorkingPeriod> WorkingHours { get; }

    public double WarnAtShare { get; }

    public TimeSpan SweepEvery { get; }

    public bool Sweep { get; }

    public static CaseDeadlineSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var hours = WorkingPeriod.ParseList(configuration["Cases:WorkingHours"] is { Length: > 0 } h ? h : DefaultWorkingHours);
        var share = 0.8;
        if (configuration["Cases:WarnAtShare"] is { Length: > 0 } s
            && (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out share) || share is <= 0 or > 1))
        {
            throw new InvalidOperationException($"Cases:WarnAtShare '{s}' must be a number above 0 and at most 1.");
        }
        var every = configuration.GetValue("Cases:SweepEvery", TimeSpan.FromMinutes(1));
        if (every <= TimeSpan.Zero || every > TimeSpan.FromDays(1))
        {
            throw new InvalidOperationException($"Cases:SweepEvery '{every}' must be positive and at most a day.");
        }
        return new CaseDeadlineSettings(hours, share, every, configuration.GetValue("Cases:DeadlineSweep", true));
    }
}

/// <summary>
/// The working calendar of this installation: the settings' working hours in <c>Time:Zone</c> and the
/// <c>case_holidays</c> table, read once and kept for a minute (a holiday edit elsewhere is seen
/// within that; one here at once).
/// </summary>
internal sealed class WorkingCalendarSource(IServiceScopeFactory scopes, CaseDeadlineSettings settings, LocalTime time)
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private (WorkingCalendar Calendar, DateTimeOffset ReadAt)? _cached;

    public async Task<WorkingCalendar> GetAsync(CancellationToken cancellationToken)
    {
        var now = time.UtcNow;
        lock (_gate)
        {
            if (_cached is { } c && now - c.ReadAt < KeepFor && now >= c.ReadAt)
            {
                return c.Calendar;
            }
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
        var days = await db.Set<CaseHoliday>().AsNoTracking().Select(h => new { h.Date, h.Kind }).ToListAsync(cancellationToken);
        var calendar = new WorkingCalendar(time.Zone, settings.WorkingHours,
            days.ToDictionary(d => d.Date, d => d.Kind == HolidayKinds.Workday));
        lock (_gate)
        {
            _cached = (calendar, now);
        }
        return calendar;
    }

    /// <summary>Forgets the cached calendar (after an edit of the holidays).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _cached = null;
        }
    }
}

/// <summary>
/// Which deadline a state runs against, and starting a stage's clock when a case enters a state:
/// reported → accept, accepted → dispatch, dispatched and handling → handle (one clock: starting the
/// handling does not restart it), reported back → verify; the other states have none.
/// </summary>
internal sealed class CaseDeadlines(WorkingCalendarSource calendars, CaseDeadlineSettings settings)
{
    public static int? HoursFor(string state, CaseCategory category) => state switch
    {
        CaseStates.Reported => category.AcceptHours,
        CaseStates.Accepted => category.DispatchHours,
        CaseStates.Dispatched or CaseStates.Handling => category.HandleHours,
        CaseStates.ReportedBack => category.VerifyHours,
        _ => null,
    };

    /// <summary>The kind of clock a state runs (states sharing one keep it running between them).</summary>
    private static string? ClockOf(string? state) => state switch
    {
        CaseStates.Reported => "accept",
        CaseStates.Accepted => "dispatch",
        CaseStates.Dispatched or CaseStates.Handling => "handle",
        CaseStates.ReportedBack => "verify",
        _ => null,
    };

    /// <summary>After a case moved from <paramref name="fromState"/> into its current state at <paramref name="now"/>: starts, keeps or stops its clock.</summary>
    public async Task EnterAsync(Case c, string? fromState, CaseCategory category, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (fromState is not null && ClockOf(fromState) == ClockOf(c.State) && c.StageDueAt is not null)
        {
            return;
        }
        if (HoursFor(c.State, category) is not { } hours)
        {
            c.StopClock();
            return;
        }
        var calendar = await calendars.GetAsync(cancellationToken);
        var duration = TimeSpan.FromHours(hours);
        c.StartClock(now.ToUniversalTime(), calendar.Add(now, duration * settings.WarnAtShare), calendar.Add(now, duration));
    }
}
