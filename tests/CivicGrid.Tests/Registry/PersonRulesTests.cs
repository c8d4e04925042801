using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Modules.Registry.Import;
using CivicGrid.Modules.Registry.Persons;

namespace CivicGrid.Tests.Registry;

/// <summary>The rules of a person's fields, without a database.</summary>
public sealed class PersonRulesTests
{
    private static readonly TimeProvider Time = new FixedTime(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("张三", "zs")]
    [InlineData("李小龙", "lxl")]
    [InlineData("欧阳娜娜", "oynn")]
    [InlineData("巴特尔", "bte")]
    [InlineData("阿依古丽·买买提", "ayglmmt")]
    [InlineData("John 王", "johnw")]
    public void Pinyin_initials_come_from_the_GB2312_level_1_table(string name, string initials) =>
        PinyinInitials.Of(name).Should().Be(initials);

    [Theory]
    [InlineData("01", "01")]
    [InlineData("2", "02")]
    [InlineData("蒙古族", "02")]
    [InlineData("回", "03")]
    [InlineData("57", null)]
    [InlineData("火星族", null)]
    public void Ethnicity_is_a_GB_T_3304_code_or_name(string value, string? code) =>
        Ethnicities.Resolve(value).Should().Be(code);

    [Theory]
    [InlineData("0000", 0)]
    [InlineData("1234", 1234)]
    [InlineData("9999", 9999)]
    [InlineData("000X", 10_000)]
    [InlineData("999X", 10_999)]
    [InlineData("123x", -1)]
    [InlineData("12A4", -1)]
    [InlineData("X123", -1)]
    public void A_tail_of_digits_or_of_an_id_check_character_has_its_own_slot(string tail, int slot) =>
        RowPlan.TailSlot(tail).Should().Be(slot);

    [Fact]
    public void The_table_has_the_56_groups() => Ethnicities.ByCode.Should().HaveCount(56).And.ContainKey("56");

    [Fact]
    public void Birth_date_and_sex_come_from_the_id_number_and_must_agree()
    {
        var id = DemoPersons.IdCardNumber("150203", new DateOnly(1990, 1, 1), 123);
        var ok = PersonRules.Validate(Input(id), Time);
        ok.IsSuccess.Should().BeTrue();
        ok.Value.BirthDate.Should().Be(new DateOnly(1990, 1, 1));
        ok.Value.Sex.Should().Be(Sex.Male);

        var wrong = PersonRules.Validate(Input(id) with { BirthDate = new DateOnly(1990, 1, 2), Sex = Sex.Female }, Time);
        wrong.Error!.Fields.Should().ContainKeys("birthDate", "sex");

        var badCheck = id[..17] + (id[17] == '0' ? '1' : '0');
        PersonRules.Validate(Input(badCheck), Time).Error!.Fields!["idNumber"].Should().ContainSingle(m => m.Contains("校验位"));
    }

    [Fact]
    public void Other_documents_need_a_sex_and_no_document_means_no_number()
    {
        PersonRules.Validate(Input("E12345678") with { DocumentType = DocumentType.Passport }, Time).Error!.Fields.Should().ContainKey("sex");
        PersonRules.Validate(Input("E12345678") with { DocumentType = DocumentType.Passport, Sex = Sex.Female }, Time).IsSuccess.Should().BeTrue();
        PersonRules.Validate(Input("E12345678") with { DocumentType = DocumentType.None, Sex = Sex.Female }, Time).Error!.Fields.Should().ContainKey("idNumber");
        PersonRules.Validate(Input(null) with { DocumentType = DocumentType.None, Sex = Sex.Female }, Time).IsSuccess.Should().BeTrue();
    }

    [Fact]
    public void Grid_phone_ethnicity_and_tags_are_checked()
    {
        var id = DemoPersons.IdCardNumber("150203", new DateOnly(1990, 1, 1), 123);
        var result = PersonRules.Validate(Input(id) with { GridCode = "150203001", Phone = "12345", Ethnicity = "99", Tags = ["a|b"] }, Time);
        result.Error!.Fields.Should().ContainKeys("gridCode", "phone", "ethnicity", "tags");
    }

    [Fact]
    public void Numbers_typed_into_an_unmask_reason_are_masked() =>
        PersonRules.MaskDigitRuns("来电 138-0471-1234，身份证 15020319900101123X").Should().Be("来电 138****1234，身份证 1502**********123X");

    [Fact]
    public void Demo_id_numbers_are_valid() =>
        IdNumber.Validate(DemoPersons.IdCardNumber("150204", new DateOnly(1950, 2, 28), 2), Time).Should().Be(IdNumberProblem.None);

    private static PersonInput Input(string? idNumber) => new(
        "张三", DocumentType.IdCard, idNumber, null, null, "01", HouseholdType.Registered, "13804711234", null, "150203001001001", ["低保"]);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
