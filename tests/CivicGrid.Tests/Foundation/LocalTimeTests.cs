using CivicGrid.Infrastructure.Time;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Foundation;

public sealed class LocalTimeTests
{
    private static IConfiguration Settings(string? zone) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Time:Zone"] = zone })
        .Build();

    [Fact]
    public void Today_follows_the_configured_zone_not_utc()
    {
        // 2026-11-22 17:30 UTC is already 2026-11-23 01:30 in Beijing.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 17, 30, 0, TimeSpan.Zero));
        var local = new LocalTime(clock, LocalTime.ZoneFrom(Settings(null)));
        local.Today.Should().Be(new DateOnly(2026, 11, 23));
        local.Now.Offset.Should().Be(TimeSpan.FromHours(8));
        local.UtcNow.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void An_unknown_zone_fails_with_its_name()
    {
        var act = () => LocalTime.ZoneFrom(Settings("Mars/Olympus"));
        act.Should().Throw<InvalidOperationException>().WithMessage("*Mars/Olympus*");
    }
}
