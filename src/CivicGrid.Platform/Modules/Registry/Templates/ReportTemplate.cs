using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary>
/// A 一表通 report template: which persons (<see cref="TemplateFilter"/>) of the owner's division and
/// which columns, in order. The definition is stored as two JSON documents (docs/adr/0017): it is
/// always read and written whole, never queried by its parts.
/// </summary>
internal sealed class ReportTemplate
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private ReportTemplate()
    {
        Name = OwnerCode = FilterJson = ColumnsJson = CreatedBy = UpdatedBy = string.Empty;
    }

    public ReportTemplate(Guid id, DateTimeOffset at, string by)
        : this()
    {
        Id = id;
        CreatedAt = UpdatedAt = at;
        CreatedBy = UpdatedBy = by;
    }

    public Guid Id { get; private set; }

    public string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>The division the template serves (its jurisdiction): it fills for that division or any below it.</summary>
    public string OwnerCode { get; set; }

    /// <summary>The department that asks for the report (民政局, 退役军人事务局 …), when one does.</summary>
    public string? DepartmentCode { get; set; }

    public string FilterJson { get; private set; }

    public string ColumnsJson { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; }

    public TemplateFilter Filter
    {
        get => JsonSerializer.Deserialize<TemplateFilter>(FilterJson, Json) ?? TemplateFilter.Everyone;
        set => FilterJson = JsonSerializer.Serialize(value, Json);
    }

    public IReadOnlyList<TemplateColumn> Columns
    {
        get => JsonSerializer.Deserialize<List<TemplateColumn>>(ColumnsJson, Json) ?? [];
        set => ColumnsJson = JsonSerializer.Serialize(value, Json);
    }

    public void Touch(DateTimeOffset at, string by)
    {
        UpdatedAt = at;
        UpdatedBy = by;
    }
}

/// <summary>Which persons a template lists: every condition given must hold.</summary>
/// <param name="TagsAll">Tags a person must all carry.</param>
/// <param name="TagsAny">Tags of which a person must carry at least one.</param>
/// <param name="AgeMin">Youngest age (inclusive), in whole years at today in China.</param>
/// <param name="AgeMax">Oldest age (inclusive).</param>
/// <param name="Sex">Only this sex.</param>
/// <param name="HouseholdType">Only this household registration type.</param>
internal sealed record TemplateFilter(
    IReadOnlyList<string>? TagsAll = null, IReadOnlyList<string>? TagsAny = null, int? AgeMin = null, int? AgeMax = null,
    Sex? Sex = null, HouseholdType? HouseholdType = null)
{
    public static readonly TemplateFilter Everyone = new();

    /// <summary>The same test as the SQL of the fill, for one person already loaded.</summary>
    public bool Matches(Person person, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(person);
        var tags = person.Tags;
        if (TagsAll is { Count: > 0 } all && !all.All(t => tags.Contains(Marker(t), StringComparison.Ordinal)))
        {
            return false;
        }
        if (TagsAny is { Count: > 0 } any && !any.Any(t => tags.Contains(Marker(t), StringComparison.Ordinal)))
        {
            return false;
        }
        if ((AgeMin is not null || AgeMax is not null) && person.BirthDate is not { } born)
        {
            return false;
        }
        var range = BirthRange(today);
        if (range.Latest is { } latest && person.BirthDate > latest)
        {
            return false;
        }
        if (range.EarliestExclusive is { } earliest && person.BirthDate <= earliest)
        {
            return false;
        }
        return (Sex is null || person.Sex == Sex) && (HouseholdType is null || person.HouseholdType == HouseholdType);
    }

    /// <summary>The age bounds as birth dates: born on or before <c>Latest</c>, and after <c>EarliestExclusive</c>.</summary>
    public (DateOnly? Latest, DateOnly? EarliestExclusive) BirthRange(DateOnly today) =>
        (AgeMin is { } min ? LatestBirthForAge(today, min) : null,
         AgeMax is { } max ? LatestBirthForAge(today, max + 1) : null);

    /// <summary>
    /// The last birth date of a person who is at least <paramref name="age"/> today, as
    /// <see cref="PersonRules.AgeOn"/> counts (one born on 29 February turns a year older on 28 February
    /// of a common year).
    /// </summary>
    public static DateOnly LatestBirthForAge(DateOnly today, int age)
    {
        var bound = today.AddYears(-age);
        var next = bound.AddDays(1);
        return PersonRules.AgeOn(next, today) >= age ? next : bound;
    }

    public static string Marker(string tag) => Person.TagSeparator + tag + Person.TagSeparator;
}

/// <summary>The kinds of column.</summary>
internal static class ColumnKinds
{
    /// <summary>A registry field of the person (姓名, 身份证号 …).</summary>
    public const string Field = "field";

    /// <summary>A value computed from the base data (年龄, 网格/社区/街镇 names).</summary>
    public const string Derived = "derived";

    /// <summary>A value only this template asks for, filled by the grid worker.</summary>
    public const string Extra = "extra";

    public static readonly IReadOnlyList<string> All = [Field, Derived, Extra];
}

/// <summary>The types of an extra column's value.</summary>
internal static class ExtraTypes
{
    public const string Text = "text";
    public const string Number = "number";
    public const string Date = "date";
    public const string Choice = "choice";

    public static readonly IReadOnlyList<string> All = [Text, Number, Date, Choice];
}

/// <summary>One column, in the template's order.</summary>
/// <param name="Kind"><see cref="ColumnKinds"/>.</param>
/// <param name="Key">A catalog key (<see cref="TemplateCatalog"/>) for fields and derived values; the extra field's own key.</param>
/// <param name="Header">The column's header in the export, unique within the template.</param>
/// <param name="Type">For an extra column: <see cref="ExtraTypes"/>.</param>
/// <param name="Choices">For a choice column: the allowed values.</param>
/// <param name="Required">For an extra column: the grid worker is asked for it until it is filled.</param>
internal sealed record TemplateColumn(string Kind, string Key, string Header, string? Type = null, IReadOnlyList<string>? Choices = null,
    bool Required = false)
{
    [JsonIgnore]
    public bool IsExtra => Kind == ColumnKinds.Extra;
}

/// <summary>The value of one extra field of one person in one template (filled by a grid worker).</summary>
internal sealed class TemplateValue
{
    private TemplateValue()
    {
        FieldKey = Value = GridCode = UpdatedBy = string.Empty;
    }

    public TemplateValue(Guid templateId, Guid personId, string fieldKey)
        : this()
    {
        TemplateId = templateId;
        PersonId = personId;
        FieldKey = fieldKey;
    }

    public Guid TemplateId { get; private set; }

    public Guid PersonId { get; private set; }

    public string FieldKey { get; private set; }

    /// <summary>Normalized text: numbers invariant, dates <c>yyyy-MM-dd</c>.</summary>
    public string Value { get; set; }

    /// <summary>The person's grid when the value was written: the value's jurisdiction.</summary>
    public string GridCode { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; }
}
