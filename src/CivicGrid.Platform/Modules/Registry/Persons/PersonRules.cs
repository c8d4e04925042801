using System.Globalization;
using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;

namespace CivicGrid.Modules.Registry.Persons;

/// <summary>A person's input after validation: normalized values, ready to encrypt and store.</summary>
internal sealed record ValidPerson(
    string Name, DocumentType DocumentType, string? DocumentNumber, Sex Sex, DateOnly? BirthDate, string? EthnicityCode,
    HouseholdType HouseholdType, string? Phone, string? Address, string GridCode, IReadOnlyList<string> Tags);

/// <summary>A person's contact fields after validation.</summary>
internal sealed record ValidContact(string? Phone, string? Address, IReadOnlyList<string> Tags);

/// <summary>The rules of a person's fields, shared by the API and (later) the ledger import.</summary>
internal static partial class PersonRules
{
    public const int MaxTags = 20;
    private static readonly string TooManyTags = $"标签最多 {MaxTags} 个";
    private static readonly string BadTag = $"标签须为 1-20 个字，且不含 {Person.TagSeparator}";
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// Checks the shape of every field, and with <paramref name="knownTags"/> that every tag is an
    /// active tag of the catalog; the grid's existence and reach are the caller's to check.
    /// </summary>
    public static Result<ValidPerson> Validate(PersonInput? input, TimeProvider time, IReadOnlySet<string>? knownTags = null)
    {
        var errors = new FieldErrors();
        if (input is null)
        {
            return errors.Add("$", "请求体为空").ToError()!;
        }
        var name = input.Name?.Trim() ?? string.Empty;
        errors.When(name.Length == 0, "name", "姓名不能为空")
            .When(name.Length > 50, "name", "姓名最多 50 个字");

        var type = input.DocumentType;
        var number = string.IsNullOrWhiteSpace(input.IdNumber) ? null : FieldNormalizer.IdNumber(input.IdNumber);
        Sex? sex = input.Sex;
        var birthDate = input.BirthDate;
        if (type is null)
        {
            errors.Add("documentType", "须选择证件类型");
        }
        else if (type == DocumentType.IdCard)
        {
            if (number is null)
            {
                errors.Add("idNumber", "身份证号不能为空");
            }
            else if (IdNumber.TryParse(number, time, out var id))
            {
                errors.When(input.BirthDate is { } given && given != id.BirthDate, "birthDate", "出生日期与身份证号不符")
                    .When(input.Sex is { } givenSex && givenSex != id.Sex, "sex", "性别与身份证号不符");
                birthDate = id.BirthDate;
                sex = id.Sex;
            }
            else
            {
                errors.Add("idNumber", Describe(IdNumber.Validate(number, time)));
            }
        }
        else if (type == DocumentType.None)
        {
            errors.When(number is not null, "idNumber", "证件类型为“无”时不应填写证件号码");
        }
        else
        {
            errors.When(number is null, "idNumber", "证件号码不能为空")
                .When(number is not null && !DocumentNumber().IsMatch(number), "idNumber", "证件号码须为 5-30 位字母、数字或短横线");
        }
        if (type is not null and not DocumentType.IdCard)
        {
            errors.When(sex is null, "sex", "须填写性别");
            var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(ChinaOffset).DateTime);
            errors.When(birthDate is { } date && (date > today || date.Year < 1900), "birthDate", "出生日期须在 1900 年之后且不晚于今天");
        }

        string? ethnicity = null;
        if (!string.IsNullOrWhiteSpace(input.Ethnicity))
        {
            ethnicity = Ethnicities.Resolve(input.Ethnicity);
            errors.When(ethnicity is null, "ethnicity", "民族须为 GB/T 3304 的代码（01-56）或名称");
        }
        errors.When(input.HouseholdType is null, "householdType", "须选择户籍类型（Registered 户籍 / Floating 流动 / Overseas 境外）");

        var contact = Contact(errors, input.Phone, input.Address, input.Tags, knownTags);

        var grid = input.GridCode?.Trim() ?? string.Empty;
        errors.When(DivisionCode.LevelOf(grid) != DivisionLevel.Grid, "gridCode", "须填写 15 位网格编码");

        if (errors.ToError() is { } error)
        {
            return error;
        }
        return new ValidPerson(name, type!.Value, number, sex!.Value, birthDate, ethnicity, input.HouseholdType!.Value, contact.Phone,
            contact.Address, grid, contact.Tags);
    }

    /// <summary>
    /// The fields a visit confirms on the doorstep (phone, address, tags), normalized; their
    /// problems go to <paramref name="errors"/>. Also a part of <see cref="Validate"/>.
    /// </summary>
    public static ValidContact Contact(FieldErrors errors, string? phoneText, string? addressText, IReadOnlyList<string>? tagList,
        IReadOnlySet<string>? knownTags = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(phoneText) && !PhoneNumbers.TryNormalizeMobile(phoneText, out phone))
        {
            errors.Add("phone", PhoneNumbers.Problem);
        }
        var address = string.IsNullOrWhiteSpace(addressText) ? null : addressText.Trim();
        errors.When(address is { Length: > 200 }, "address", "地址最多 200 个字");
        if (tagList is null or { Count: 0 })
        {
            return new ValidContact(phone, address, []);
        }
        var tags = tagList.Select(t => t?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal).ToList();
        errors.When(tags.Count > MaxTags, "tags", TooManyTags)
            .When(tags.Any(t => t.Length is 0 or > 20 || t.Contains(Person.TagSeparator, StringComparison.Ordinal)), "tags", BadTag);
        if (knownTags is not null && tags.Where(t => t.Length > 0 && !knownTags.Contains(t)).ToList() is { Count: > 0 } unknown)
        {
            errors.Add("tags", $"标签目录中没有：{string.Join("、", unknown)}（见 /api/v1/registry/tags）");
        }
        return new ValidContact(phone, address, tags);
    }

    /// <summary>The age in whole years on the given day.</summary>
    public static int? AgeOn(DateOnly? birthDate, DateOnly today)
    {
        if (birthDate is not { } born)
        {
            return null;
        }
        var age = today.Year - born.Year;
        return born.AddYears(age) > today ? age - 1 : age;
    }

    /// <summary>Today in China (UTC+8).</summary>
    public static DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(ChinaOffset).DateTime);

    /// <summary>The last four characters of a number, for its tail index.</summary>
    public static string Tail(string normalized) => normalized.Length <= 4 ? normalized : normalized[^4..];

    /// <summary>
    /// A reason bound for the immutable audit chain, with any number typed into it masked, so a
    /// clear value cannot enter the chain that way either.
    /// </summary>
    public static string MaskDigitRuns(string text) => Masking.DigitRuns(text);

    private static string Describe(IdNumberProblem problem) => problem switch
    {
        IdNumberProblem.Length => "身份证号须为 18 位",
        IdNumberProblem.Characters => "身份证号前 17 位须为数字，末位为数字或 X",
        IdNumberProblem.Region => "身份证号的地区码无效",
        IdNumberProblem.BirthDate => "身份证号中的出生日期无效",
        IdNumberProblem.FutureBirthDate => "身份证号中的出生日期晚于今天",
        IdNumberProblem.CheckDigit => "身份证号校验位错误",
        _ => string.Create(CultureInfo.InvariantCulture, $"身份证号无效 ({problem})"),
    };

    [GeneratedRegex("^[A-Z0-9-]{5,30}$")]
    private static partial Regex DocumentNumber();
}
