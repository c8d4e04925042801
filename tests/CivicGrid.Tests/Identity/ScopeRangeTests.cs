using CivicGrid.Infrastructure.Data;

namespace CivicGrid.Tests.Identity;

/// <summary>The jurisdiction filter turns a code prefix into a range; the range must hold exactly the prefix's codes.</summary>
public sealed class ScopeRangeTests
{
    [Theory]
    [InlineData("150203001", "150203002")]
    [InlineData("150203009", "15020301")]
    [InlineData("15029999", "1503")]
    [InlineData("1", "2")]
    public void The_upper_bound_is_the_prefix_plus_one(string root, string upper) =>
        CivicGridDbContext.UpperBound(root).Should().Be(upper);

    [Theory]
    [InlineData("150203009", "150203009", true)]
    [InlineData("150203009", "150203009999999", true)]
    [InlineData("150203009", "150203010", false)]
    [InlineData("150203009", "15020301", false)]
    [InlineData("150203009", "150203008999", false)]
    [InlineData("15029999", "150299990001", true)]
    [InlineData("15029999", "1503", false)]
    public void A_code_is_in_the_range_exactly_when_it_starts_with_the_root(string root, string code, bool inside)
    {
        var within = string.CompareOrdinal(code, root) >= 0 && string.CompareOrdinal(code, CivicGridDbContext.UpperBound(root)) < 0;
        within.Should().Be(inside);
        code.StartsWith(root, StringComparison.Ordinal).Should().Be(inside);
    }
}
