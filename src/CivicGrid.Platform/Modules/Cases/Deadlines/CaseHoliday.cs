using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Cases.Deadlines;

/// <summary>The kinds of <see cref="CaseHoliday"/>.</summary>
public static class HolidayKinds
{
    /// <summary>A day off, whatever weekday it is (法定节假日 and the weekend days of its block).</summary>
    public const string Holiday = "holiday";

    /// <summary>A make-up working day (调休上班), usually a Saturday or Sunday.</summary>
    public const string Workday = "workday";

    public static readonly IReadOnlyList<string> All = [Holiday, Workday];
}

/// <summary>One exception to the Monday-to-Friday week in the working calendar.</summary>
internal sealed class CaseHoliday(DateOnly date, string kind, string? name)
{
    public DateOnly Date { get; private set; } = date;

    public string Kind { get; private set; } = kind;

    public string? Name { get; private set; } = name;
}

internal sealed class CaseHolidayConfiguration : IEntityTypeConfiguration<CaseHoliday>
{
    public void Configure(EntityTypeBuilder<CaseHoliday> builder)
    {
        builder.ToTable("case_holidays");
        builder.HasKey(h => h.Date);
        builder.Property(h => h.Kind).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.Property(h => h.Name).HasMaxLength(50);
        builder.HasData(CaseHolidaySeed.All);
    }
}

/// <summary>
/// China's official schedule of public holidays and make-up working days (国务院办公厅关于节假日安排的通知)
/// for 2025 and 2026. Later years are entered by an administrator through <c>PUT /api/v1/case-holidays/{year}</c>
/// once the State Council publishes them (usually in November).
/// </summary>
internal static class CaseHolidaySeed
{
    public static readonly CaseHoliday[] All =
    [
        // 2025
        .. Off(2025, 1, 1, 1, "元旦"),
        .. Off(2025, 1, 28, 8, "春节"),
        On(2025, 1, 26, "春节调休上班"),
        On(2025, 2, 8, "春节调休上班"),
        .. Off(2025, 4, 4, 3, "清明节"),
        .. Off(2025, 5, 1, 5, "劳动节"),
        On(2025, 4, 27, "劳动节调休上班"),
        .. Off(2025, 5, 31, 3, "端午节"),
        .. Off(2025, 10, 1, 8, "国庆节、中秋节"),
        On(2025, 9, 28, "国庆节调休上班"),
        On(2025, 10, 11, "国庆节调休上班"),

        // 2026
        .. Off(2026, 1, 1, 3, "元旦"),
        On(2026, 1, 4, "元旦调休上班"),
        .. Off(2026, 2, 15, 9, "春节"),
        On(2026, 2, 14, "春节调休上班"),
        On(2026, 2, 28, "春节调休上班"),
        .. Off(2026, 4, 4, 3, "清明节"),
        .. Off(2026, 5, 1, 5, "劳动节"),
        On(2026, 5, 9, "劳动节调休上班"),
        .. Off(2026, 6, 19, 3, "端午节"),
        .. Off(2026, 9, 25, 3, "中秋节"),
        .. Off(2026, 10, 1, 7, "国庆节"),
        On(2026, 9, 20, "国庆节调休上班"),
        On(2026, 10, 10, "国庆节调休上班"),
    ];

    private static IEnumerable<CaseHoliday> Off(int year, int month, int day, int days, string name) =>
        Enumerable.Range(0, days).Select(i => new CaseHoliday(new DateOnly(year, month, day).AddDays(i), HolidayKinds.Holiday, name));

    private static CaseHoliday On(int year, int month, int day, string name) =>
        new(new DateOnly(year, month, day), HolidayKinds.Workday, name);
}
