using CivicGrid.Modules.Cases.Deadlines;

namespace CivicGrid.Tests.Cases;

/// <summary>The working calendar on its own: working hours, weekends, holidays and make-up working days (调休).</summary>
public sealed class WorkingCalendarTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static readonly WorkingCalendar Calendar = new(Shanghai,
        WorkingPeriod.ParseList(CaseDeadlineSettings.DefaultWorkingHours),
        CaseHolidaySeed.All.ToDictionary(h => h.Date, h => h.Kind == HolidayKinds.Workday));

    private static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Four_working_hours_from_Friday_at_four_end_on_Monday_at_eleven()
    {
        var due = Calendar.Add(Local(2026, 3, 6, 16), TimeSpan.FromHours(4));
        due.Should().Be(Local(2026, 3, 9, 11));
        due.Offset.Should().Be(TimeSpan.Zero, "instants are UTC");
        Calendar.WorkingTimeBetween(Local(2026, 3, 6, 16), Local(2026, 3, 9, 11)).Should().Be(TimeSpan.FromHours(4));
    }

    [Fact]
    public void The_lunch_break_and_the_evening_do_not_count()
    {
        Calendar.Add(Local(2026, 3, 10, 11), TimeSpan.FromHours(2)).Should().Be(Local(2026, 3, 10, 14, 30));
        Calendar.Add(Local(2026, 3, 10, 12, 30), TimeSpan.FromMinutes(30)).Should().Be(Local(2026, 3, 10, 14));
        Calendar.Add(Local(2026, 3, 10, 20), TimeSpan.FromHours(1)).Should().Be(Local(2026, 3, 11, 9, 30));
        // A working day holds 7.5 hours.
        Calendar.Add(Local(2026, 3, 10, 8, 30), TimeSpan.FromHours(7.5)).Should().Be(Local(2026, 3, 10, 17, 30));
        Calendar.WorkingTimeBetween(Local(2026, 3, 10, 0), Local(2026, 3, 11, 0)).Should().Be(TimeSpan.FromHours(7.5));
        Calendar.WorkingTimeBetween(Local(2026, 3, 11, 0), Local(2026, 3, 10, 0)).Should().Be(TimeSpan.Zero);
        Calendar.Add(Local(2026, 3, 10, 20), TimeSpan.Zero).Should().Be(Local(2026, 3, 10, 20));
    }

    [Fact]
    public void A_holiday_is_skipped_even_on_a_weekday()
    {
        // 清明 2026: Saturday 4 April to Monday 6 April off.
        Calendar.IsWorkingDay(new DateOnly(2026, 4, 6)).Should().BeFalse();
        Calendar.Add(Local(2026, 4, 3, 16), TimeSpan.FromHours(4)).Should().Be(Local(2026, 4, 7, 11));
        // 国庆 2026: 1-7 October off, Saturday 10 October a working day.
        Calendar.Add(Local(2026, 9, 30, 17), TimeSpan.FromHours(1)).Should().Be(Local(2026, 10, 8, 9));
        Calendar.WorkingTimeBetween(Local(2026, 9, 30, 17, 30), Local(2026, 10, 8, 8, 30)).Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void The_clock_runs_on_a_make_up_Saturday()
    {
        // 春节 2026: Saturday 14 February is a working day (调休), 15-23 February off.
        Calendar.IsWorkingDay(new DateOnly(2026, 2, 14)).Should().BeTrue();
        Calendar.IsWorkingDay(new DateOnly(2026, 2, 16)).Should().BeFalse();
        Calendar.Add(Local(2026, 2, 13, 16), TimeSpan.FromHours(4)).Should().Be(Local(2026, 2, 14, 11));
        Calendar.Add(Local(2026, 2, 14, 16), TimeSpan.FromHours(4)).Should().Be(Local(2026, 2, 24, 11));
        Calendar.WorkingTimeBetween(Local(2026, 2, 13, 17), Local(2026, 2, 24, 9)).Should().Be(TimeSpan.FromHours(8.5));
        // A plain Saturday is off.
        Calendar.IsWorkingDay(new DateOnly(2026, 3, 7)).Should().BeFalse();
    }

    [Fact]
    public void The_seed_holds_the_official_schedules_of_2025_and_2026()
    {
        var days = CaseHolidaySeed.All;
        days.Select(d => d.Date).Should().OnlyHaveUniqueItems();
        // Days off per year (法定 plus the weekend days of the blocks) and make-up working days.
        days.Count(d => d.Date.Year == 2025 && d.Kind == HolidayKinds.Holiday).Should().Be(28);
        days.Count(d => d.Date.Year == 2025 && d.Kind == HolidayKinds.Workday).Should().Be(5);
        days.Count(d => d.Date.Year == 2026 && d.Kind == HolidayKinds.Holiday).Should().Be(33);
        days.Where(d => d.Date.Year == 2026 && d.Kind == HolidayKinds.Workday).Select(d => d.Date).Should().BeEquivalentTo(
            [new DateOnly(2026, 1, 4), new DateOnly(2026, 2, 14), new DateOnly(2026, 2, 28), new DateOnly(2026, 5, 9),
                new DateOnly(2026, 9, 20), new DateOnly(2026, 10, 10)]);
        days.Where(d => d.Kind == HolidayKinds.Workday).Should().AllSatisfy(d =>
            d.Date.DayOfWeek.Should().BeOneOf(DayOfWeek.Saturday, DayOfWeek.Sunday));
    }

    [Theory]
    [InlineData("")]
    [InlineData("08:30-12:00,11:00-17:30")]
    [InlineData("12:00-08:30")]
    [InlineData("8h-12h")]
    public void Malformed_working_hours_are_refused(string value) =>
        FluentActions.Invoking(() => WorkingPeriod.ParseList(value)).Should().Throw<FormatException>();
}
