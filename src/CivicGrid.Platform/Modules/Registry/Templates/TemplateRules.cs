using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;

namespace CivicGrid.Modules.Registry.Templates;

/// <summary>A template's definition after validation.</summary>
internal sealed record ValidTemplate(
    string Name, string? Description, string OwnerCode, string? DepartmentCode, TemplateFilter Filter, IReadOnlyList<TemplateColumn> Columns);

/// <summary>The rules of a template's definition and of its extra values.</summary>
internal static partial class TemplateRules
{
    public const int MaxColumns = 60;
    public const int MaxChoices = 50;
    public const int MaxTags = 10;
    public const int MaxTextValue = 200;

    /// <summary>Checks the definition's shape; the owner code's existence and the caller's reach are the caller's to check.</summary>
    public static Result<ValidTemplate> Validate(ReportTemplateInput? input)
    {
        var errors = new FieldErrors();
        if (input is null)
        {
            return errors.Add("$", "请求体为空").ToError()!;
        }
        var name = input.Name?.Trim() ?? string.Empty;
        errors.When(name.Length == 0, "name", "模板名称不能为空")
            .When(name.Length > 100, "name", "模板名称最多 100 个字");
        var description = Blank(input.Description);
        errors.When(description is { Length: > 500 }, "description", "说明最多 500 个字");
        var owner = input.OwnerCode?.Trim() ?? string.Empty;
        errors.When(DivisionCode.LevelOf(owner) is null or DivisionLevel.MicroGrid, "ownerCode", "ownerCode 须为区划或网格代码");
        var department = Blank(input.DepartmentCode);
        errors.When(department is { Length: > 32 }, "departmentCode", "部门代码最多 32 个字符");

        var filter = ValidateFilter(input.Filter, errors);
        var columns = ValidateColumns(input.Columns, errors);
        if (errors.ToError("registry.template_invalid", "模板定义有误，请检查标出的字段。") is { } invalid)
        {
            return invalid;
        }
        return new ValidTemplate(name, description, owner, department, filter, columns);
    }

    private static TemplateFilter ValidateFilter(TemplateFilterInput? input, FieldErrors errors)
    {
        if (input is null)
        {
            return TemplateFilter.Everyone;
        }
        var all = Tags(input.TagsAll, "filter.tagsAll", errors);
        var any = Tags(input.TagsAny, "filter.tagsAny", errors);
        errors.When(input.AgeMin is < 0 or > 150, "filter.ageMin", "最小年龄须在 0 到 150 之间")
            .When(input.AgeMax is < 0 or > 150, "filter.ageMax", "最大年龄须在 0 到 150 之间")
            .When(input.AgeMin is { } min && input.AgeMax is { } max && min > max, "filter.ageMax", "最大年龄不能小于最小年龄")
            .When(input.Sex is { } sex && !Enum.IsDefined(sex), "filter.sex", "性别无效")
            .When(input.HouseholdType is { } type && !Enum.IsDefined(type), "filter.householdType", "户籍类型无效");
        return new TemplateFilter(all, any, input.AgeMin, input.AgeMax, input.Sex, input.HouseholdType);
    }

    private static List<string>? Tags(IReadOnlyList<string>? tags, string field, FieldErrors errors)
    {
        if (tags is null)
        {
            return null;
        }
        var list = tags.Select(t => t?.Trim() ?? string.Empty).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        errors.When(list.Count > MaxTags, field, $"最多 {MaxTags} 个标签")
            .When(list.Any(t => t.Length > 20 || t.Contains(Persons.Person.TagSeparator, StringComparison.Ordinal)), field,
                "标签最多 20 个字，且不能含“|”");
        return list.Count == 0 ? null : list;
    }

    private static List<TemplateColumn> ValidateColumns(IReadOnlyList<TemplateColumnInput>? input, FieldErrors errors)
    {
        var columns = new List<TemplateColumn>();
        if (input is null || input.Count == 0)
        {
            errors.Add("columns", "至少需要一列");
            return columns;
        }
        errors.When(input.Count > MaxColumns, "columns", $"最多 {MaxColumns} 列");
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var headers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < input.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"columns[{i}]");
            var c = input[i];
            if (c is null)
            {
                errors.Add(at, "列不能为空");
                continue;
            }
            var kind = c.Kind?.Trim().ToLowerInvariant() ?? string.Empty;
            var key = c.Key?.Trim() ?? string.Empty;
            if (!ColumnKinds.All.Contains(kind))
            {
                errors.Add($"{at}.kind", "kind 须为 field、derived 或 extra");
                continue;
            }
            var catalog = TemplateCatalog.KeysOf(kind);
            string? header = Blank(c.Header);
            if (catalog is not null)
            {
                if (!catalog.TryGetValue(key, out var usual))
                {
                    errors.Add($"{at}.key", $"没有字段 {key}（可用：{string.Join("、", catalog.Keys)}）");
                    continue;
                }
                header ??= usual;
                errors.When(c.Type is not null || c.Choices is { Count: > 0 } || c.Required == true, $"{at}.type",
                    "只有 extra 列可以指定类型、选项和必填");
            }
            else
            {
                errors.When(!ExtraKey().IsMatch(key), $"{at}.key", "补充字段的 key 须为字母开头的字母、数字或下划线（最多 40 个）")
                    .When(TemplateCatalog.Fields.ContainsKey(key) || TemplateCatalog.Derived.ContainsKey(key), $"{at}.key",
                        $"{key} 是登记字段，不能用作补充字段的 key")
                    .When(header is null, $"{at}.header", "补充字段须有表头");
            }
            errors.When(header is { Length: > 50 }, $"{at}.header", "表头最多 50 个字")
                .When(header is not null && !headers.Add(header), $"{at}.header", $"表头“{header}”重复")
                .When(key.Length > 0 && !keys.Add(kind + ":" + key), $"{at}.key", $"字段 {key} 重复");

            if (kind != ColumnKinds.Extra)
            {
                columns.Add(new TemplateColumn(kind, key, header ?? key));
                continue;
            }
            var type = c.Type?.Trim().ToLowerInvariant() ?? ExtraTypes.Text;
            errors.When(!ExtraTypes.All.Contains(type), $"{at}.type", "type 须为 text、number、date 或 choice");
            List<string>? choices = null;
            if (type == ExtraTypes.Choice)
            {
                choices = [.. (c.Choices ?? []).Select(x => x?.Trim() ?? string.Empty).Where(x => x.Length > 0).Distinct(StringComparer.Ordinal)];
                errors.When(choices.Count == 0, $"{at}.choices", "选择题须至少有一个选项")
                    .When(choices.Count > MaxChoices, $"{at}.choices", $"最多 {MaxChoices} 个选项")
                    .When(choices.Any(x => x.Length > 50), $"{at}.choices", "选项最多 50 个字");
            }
            else
            {
                errors.When(c.Choices is { Count: > 0 }, $"{at}.choices", "只有 choice 类型可以有选项");
            }
            columns.Add(new TemplateColumn(kind, key, header ?? key, type, choices, c.Required ?? false));
        }
        return columns;
    }

    /// <summary>
    /// Checks one value for an extra column and returns its normal form (null clears the value), or adds a field
    /// error at <c>values.{key}</c>.
    /// </summary>
    public static string? NormalizeValue(TemplateColumn column, JsonElement raw, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentNullException.ThrowIfNull(errors);
        var field = "values." + column.Key;
        var text = raw.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => raw.GetString()?.Trim(),
            JsonValueKind.Number => raw.GetRawText(),
            _ => "\0",
        };
        if (text == "\0")
        {
            errors.Add(field, "值须为文字或数字");
            return null;
        }
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        switch (column.Type)
        {
            case ExtraTypes.Number:
                if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                {
                    errors.Add(field, $"“{column.Header}”须为数字");
                    return null;
                }
                return number.ToString(CultureInfo.InvariantCulture);
            case ExtraTypes.Date:
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    errors.Add(field, $"“{column.Header}”须为日期（yyyy-MM-dd）");
                    return null;
                }
                return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            case ExtraTypes.Choice:
                if (column.Choices is null || !column.Choices.Contains(text, StringComparer.Ordinal))
                {
                    errors.Add(field, $"“{column.Header}”须为以下之一：{string.Join("、", column.Choices ?? [])}");
                    return null;
                }
                return text;
            default:
                if (text.Length > MaxTextValue)
                {
                    errors.Add(field, $"“{column.Header}”最多 {MaxTextValue} 个字");
                    return null;
                }
                return text;
        }
    }

    /// <summary>A stored value as a cell: numbers as numbers, the rest as text.</summary>
    public static object? Cell(TemplateColumn column, string? value) =>
        value is not null && column.Type == ExtraTypes.Number
            && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? number
            : value;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,39}$")]
    private static partial Regex ExtraKey();
}
