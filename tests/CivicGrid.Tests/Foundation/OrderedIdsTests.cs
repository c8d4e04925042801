using CivicGrid.Infrastructure.Data;

namespace CivicGrid.Tests.Foundation;

public sealed class OrderedIdsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 30, 15, 123, TimeSpan.Zero);

    [Fact]
    public void A_batch_of_ids_is_UUIDv7_of_its_millisecond_and_ascends_as_text_and_as_Guid()
    {
        var ids = new OrderedIds(At);
        var batch = Enumerable.Range(0, 10_000).Select(_ => ids.Next()).ToList();

        batch.Should().OnlyHaveUniqueItems();
        batch.Should().BeInAscendingOrder();
        // As PostgreSQL (bytes) and SQLite (upper-case text) compare them.
        batch.Select(g => g.ToString("D").ToUpperInvariant()).Should().BeInAscendingOrder(StringComparer.Ordinal);
        batch.Should().OnlyContain(g => g.Version == 7 && (g.Variant & 0b1100) == 0b1000);
        batch.Select(g => Convert.ToInt64(g.ToString("N").Substring(0, 12), 16)).Should().AllBeEquivalentTo(At.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Two_batches_of_one_millisecond_do_not_share_ids()
    {
        var first = new OrderedIds(At);
        var second = new OrderedIds(At);

        Enumerable.Range(0, 1000).Select(_ => first.Next()).Intersect(Enumerable.Range(0, 1000).Select(_ => second.Next()))
            .Should().BeEmpty();
    }

    [Fact]
    public void The_count_carries_from_the_low_random_bits_into_the_high_ones_keeping_version_and_variant()
    {
        var ids = new OrderedIds(At, (UInt128.One << 62) - 2);

        var batch = Enumerable.Range(0, 4).Select(_ => ids.Next()).ToList();

        batch.Select(g => g.ToString("N")).Should().Equal(
            $"{At.ToUnixTimeMilliseconds():x12}7000bffffffffffffffe",
            $"{At.ToUnixTimeMilliseconds():x12}7000bfffffffffffffff",
            $"{At.ToUnixTimeMilliseconds():x12}70018000000000000000",
            $"{At.ToUnixTimeMilliseconds():x12}70018000000000000001");
    }
}
