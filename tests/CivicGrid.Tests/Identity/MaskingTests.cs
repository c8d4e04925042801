using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Tests.Identity;

/// <summary>Masked values show the pattern's ends and never more.</summary>
public sealed class MaskingTests
{
    [Theory]
    [InlineData("150203199001011234", "1502**********1234")]
    [InlineData(" 11010519491231002x ", "1101**********002x")]
    [InlineData("150203900101123", "1502*******1123")]
    [InlineData("12345678", "12****78")]
    [InlineData("1234", "1**4")]
    [InlineData("123", "***")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void An_id_number_shows_at_most_its_first_and_last_four(string? value, string expected)
    {
        Masking.IdNumber(value).Should().Be(expected);
    }

    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("+86 138-1234-5678", "138****5678")]
    [InlineData("0086 13812345678", "138****5678")]
    [InlineData("62345678", "******78")]
    [InlineData("1234", "***4")]
    [InlineData("12", "**")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void A_phone_shows_at_most_its_first_three_and_last_four_digits(string? value, string expected)
    {
        Masking.Phone(value).Should().Be(expected);
    }

    [Fact]
    public void A_parsed_id_number_prints_masked()
    {
        IdNumber.TryParse("11010519491231002X", TimeProvider.System, out var id).Should().BeTrue();
        id!.ToString().Should().Be("1101**********002X");
        $"{id}".Should().NotContain("19491231");
    }
}
