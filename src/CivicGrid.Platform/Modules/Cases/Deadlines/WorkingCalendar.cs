using System.Globalization;

namespace CivicGrid.Modules.Cases.Deadlines;

/// <summary>One span of working time within a day, in local wall-clock time.</summary>
internal readonly record struct WorkingPeriod(TimeOnly Start, TimeOnly End)
{
    public TimeSpan Length => End - Start;

    /// <summary>
    /// Parses <c>"08:30-12:00,13:30-17:30"</c>: ascending, non-overlapping periods within one day.
    /// A malformed value fails with the value in the message.
    /// </summary>
    public static IReadOnlyList<WorkingPeriod> ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var periods = new List<WorkingPeriod>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', StringSplitOptions.TrimEntries);
            if (ends.Length != 2
                || !TimeOnly.TryParseExact(ends[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !TimeOnly.TryParseExact(ends[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
                || end <= start
                || (periods.Count > 0 && start < periods[^1].End))
            {
                throw new FormatException($"Working hours '{value}' are not ascending HH:mm-HH:mm periods separated by commas.");
            }
            periods.Add(new WorkingPeriod(start, end));
        }
        if (periods.Count == 0)
        {
            throw new FormatException($"Working hours '{value}' name no period.");
        }
        return periods;
    }
}

/// <summary>
/// Working time (工作时间) in one time zone: the same working periods every working day; a day is a
/// working day when it is Monday to Friday, unless <c>days</c> says otherwise (a public holiday off,
/// or a make-up working day 调休 on a weekend). Pure: no clock, no database.
/// </summary>
internal sealed class WorkingCalendar
{
    // Beyond this many days without enough working time, the calendar is broken (no working days at all).
    private const int MaxDays = 3660;

    private readonly TimeZoneInfo _zone;
    private readonly IReadOnlyList<WorkingPeriod> _periods;
    private readonly IReadOnlyDictionary<DateOnly, bool> _days;

    /// <param name="zone">The zone the periods are wall-clock times of.</param>
    /// <param name="periods">The working periods of a working day, ascending.</param>
    /// <param name="days">Exceptions to Monday-to-Friday: true a working day, false a day off.</param>
    public WorkingCalendar(TimeZoneInfo zone, IReadOnlyList<WorkingPeriod> periods, IReadOnlyDictionary<DateOnly, bool> days)
    {
        ArgumentNullException.ThrowIfNull(periods);
        if (periods.Count == 0)
        {
            throw new ArgumentException("A working day needs at least one working period.", nameof(periods));
        }
        _zone = zone;
        _periods = periods;
        _days = days;
    }

    /// <summary>True when <paramref name="day"/> is a working day.</summary>
    public bool IsWorkingDay(DateOnly day) =>
        _days.TryGetValue(day, out var working) ? working : day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>The instant (UTC) at which <paramref name="workingDuration"/> of working time has passed since <paramref name="start"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan workingDuration)
    {
        if (workingDuration <= TimeSpan.Zero)
        {
            return start.ToUniversalTime();
        }
        var local = TimeZoneInfo.ConvertTime(start, _zone).DateTime;
        var day = DateOnly.FromDateTime(local);
        var remaining = workingDuration;
        for (var i = 0; i < MaxDays; i++, day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            foreach (var period in _periods)
            {
                var from = day.ToDateTime(period.Start);
                var to = day.ToDateTime(period.End);
                if (local > from)
                {
                    from = local;
                }
                if (to <= from)
                {
                    continue;
                }
                if (to - from >= remaining)
                {
                    return ToUtc(from + remaining);
                }
                remaining -= to - from;
            }
        }
        throw new InvalidOperationException($"The working calendar has no working time within {MaxDays} days of {start:O}.");
    }

    /// <summary>The working time between two instants (zero when <paramref name="b"/> is not after <paramref name="a"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset a, DateTimeOffset b)
    {
        if (b <= a)
        {
            return TimeSpan.Zero;
        }
        var from = TimeZoneInfo.ConvertTime(a, _zone).DateTime;
        var until = TimeZoneInfo.ConvertTime(b, _zone).DateTime;
        var total = TimeSpan.Zero;
        for (var day = DateOnly.FromDateTime(from); day <= DateOnly.FromDateTime(until); day = day.AddDays(1))
        {
            if (!IsWorkingDay(day))
            {
                continue;
            }
            foreach (var period in _periods)
            {
                var start = day.ToDateTime(period.Start);
                var end = day.ToDateTime(period.End);
                start = start < from ? from : start;
                end = end > until ? until : end;
                if (end > start)
                {
                    total += end - start;
                }
            }
        }
        return total;
    }

    private DateTimeOffset ToUtc(DateTime local)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, _zone.GetUtcOffset(unspecified)).ToUniversalTime();
    }
}
