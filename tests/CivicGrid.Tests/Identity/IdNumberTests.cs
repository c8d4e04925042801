using CivicGrid.Modules.Identity.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace CivicGrid.Tests.Identity;

/// <summary>GB 11643 identity card numbers: structure, birth date and the MOD 11-2 check character.</summary>
public sealed class IdNumberTests
{
    // 20:00 on 22 November 2026 in Beijing.
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("11010519491231002X", 1949, 12, 31, Sex.Female)]
    [InlineData("11010519491231002x", 1949, 12, 31, Sex.Female)]
    [InlineData("150203199001011232", 1990, 1, 1, Sex.Male)]
    [InlineData("440304200002290014", 2000, 2, 29, Sex.Male)]
    [InlineData("15020320261122001X", 2026, 11, 22, Sex.Male)]
    public void A_valid_number_parses_with_its_birth_date_and_sex(string value, int year, int month, int day, Sex sex)
    {
        IdNumber.Validate(value, Time).Should().Be(IdNumberProblem.None);
        IdNumber.TryParse(value, Time, out var id).Should().BeTrue();
        id!.BirthDate.Should().Be(new DateOnly(year, month, day));
        id.Sex.Should().Be(sex);
        id.Value.Should().Be(value.ToUpperInvariant());
        id.Region.Should().Be(value[..6]);
    }

    [Theory]
    [InlineData("150203199001011234", IdNumberProblem.CheckDigit)]
    [InlineData("110105194912310021", IdNumberProblem.CheckDigit)]
    [InlineData("150203199013011235", IdNumberProblem.BirthDate)]
    [InlineData("150203199001001235", IdNumberProblem.BirthDate)]
    [InlineData("150203199002301235", IdNumberProblem.BirthDate)]
    [InlineData("150203190002290018", IdNumberProblem.BirthDate)]
    [InlineData("150203189912310012", IdNumberProblem.BirthDate)]
    [InlineData("150203202611230015", IdNumberProblem.FutureBirthDate)]
    [InlineData("15020319900101123", IdNumberProblem.Length)]
    [InlineData("1502031990010112321", IdNumberProblem.Length)]
    [InlineData("", IdNumberProblem.Length)]
    [InlineData(null, IdNumberProblem.Length)]
    [InlineData("15020319900101123Y", IdNumberProblem.Characters)]
    [InlineData("1502031990O1011232", IdNumberProblem.Characters)]
    [InlineData("050203199001011232", IdNumberProblem.Region)]
    [InlineData("150000199001011232", IdNumberProblem.Region)]
    public void An_invalid_number_is_rejected_with_its_reason(string? value, IdNumberProblem problem)
    {
        IdNumber.Validate(value, Time).Should().Be(problem);
        IdNumber.TryParse(value, Time, out var id).Should().BeFalse();
        id.Should().BeNull();
    }

    [Fact]
    public void Today_is_the_date_in_beijing_not_in_utc()
    {
        // 01:00 on 23 November in Beijing is still 22 November in UTC.
        var early = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 17, 0, 0, TimeSpan.Zero));
        IdNumber.Validate("150203202611230015", early).Should().Be(IdNumberProblem.None);
    }

    [Fact]
    public void The_check_character_follows_iso_7064_mod_11_2()
    {
        IdNumber.CheckCharacter("11010519491231002").Should().Be('X');
        IdNumber.CheckCharacter("15020319900101123").Should().Be('2');
    }
}
