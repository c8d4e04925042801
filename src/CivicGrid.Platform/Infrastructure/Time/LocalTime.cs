using Microsoft.Extensions.Configuration;

namespace CivicGrid.Infrastructure.Time;

/// <summary>
/// Instants are stored in UTC; people live in a time zone. <c>Time:Zone</c> (default
/// <c>Asia/Shanghai</c>) decides what "today", working hours and deadlines mean.
/// </summary>
public sealed class LocalTime(TimeProvider clock, TimeZoneInfo zone)
{
    /// <summary>The zone used when none is configured.</summary>
    public const string DefaultZone = "Asia/Shanghai";

    /// <summary>The configured zone.</summary>
    public TimeZoneInfo Zone { get; } = zone;

    /// <summary>The current instant in UTC.</summary>
    public DateTimeOffset UtcNow => clock.GetUtcNow();

    /// <summary>The current wall-clock time in the configured zone.</summary>
    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone);

    /// <summary>Today's date in the configured zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now.DateTime);

    /// <summary>An instant shown in the configured zone.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>The UTC instant at which <paramref name="day"/> begins in the zone.</summary>
    public DateTimeOffset StartOfDay(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>Reads <c>Time:Zone</c>; an unknown zone fails at start-up with the name in the message.</summary>
    public static TimeZoneInfo ZoneFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var id = configuration["Time:Zone"] is { Length: > 0 } configured ? configured : DefaultZone;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new InvalidOperationException($"Time:Zone '{id}' is not a known time zone.", e);
        }
    }
}
