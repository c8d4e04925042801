using CivicGrid.Modules.Geography.Contracts;

namespace CivicGrid.Tests.Geography;

public sealed class DivisionCodeTests
{
    [Fact]
    public void The_ancestors_of_a_code_are_its_prefixes_nearest_first()
    {
        DivisionCode.AncestorsOf("150203001015001").Should()
            .Equal("150203001015", "150203001", "150203", "1502", "15");
        DivisionCode.AncestorsOf("15").Should().BeEmpty();
    }

    [Theory]
    [InlineData("15", 4)]
    [InlineData("1502", 6)]
    [InlineData("150203", 9)]
    [InlineData("150203001", 12)]
    [InlineData("150203001015", 15)]
    [InlineData("150203001015001", 18)]
    [InlineData("150203001015001001", null)]
    public void The_child_length_follows_the_levels(string code, int? childLength)
    {
        DivisionCode.ChildLengthOf(code).Should().Be(childLength);
    }
}
