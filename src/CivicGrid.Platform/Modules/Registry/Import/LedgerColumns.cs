using System.Security.Cryptography;
using System.Text;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>The person fields a ledger column can fill.</summary>
internal enum LedgerField
{
    Name,
    IdNumber,
    DocumentType,
    Sex,
    Ethnicity,
    BirthDate,
    Phone,
    HouseholdAddress,
    Address,
    GridCode,
    GridName,
    HouseholdType,
    Tags,
}

/// <summary>Which column of the file fills which field: recognised from the usual Chinese headers, or given as a mapping.</summary>
internal sealed class LedgerColumns
{
    /// <summary>The usual headers of a person ledger, normalised (no spaces, no trailing *).</summary>
    public static readonly IReadOnlyDictionary<string, LedgerField> Known = new Dictionary<string, LedgerField>(StringComparer.Ordinal)
    {
        ["姓名"] = LedgerField.Name,
        ["公民身份号码"] = LedgerField.IdNumber,
        ["身份证号"] = LedgerField.IdNumber,
        ["身份证号码"] = LedgerField.IdNumber,
        ["证件号码"] = LedgerField.IdNumber,
        ["证件类型"] = LedgerField.DocumentType,
        ["性别"] = LedgerField.Sex,
        ["民族"] = LedgerField.Ethnicity,
        ["出生日期"] = LedgerField.BirthDate,
        ["联系电话"] = LedgerField.Phone,
        ["手机号码"] = LedgerField.Phone,
        ["手机号"] = LedgerField.Phone,
        ["户籍地址"] = LedgerField.HouseholdAddress,
        ["现住址"] = LedgerField.Address,
        ["居住地址"] = LedgerField.Address,
        ["网格编码"] = LedgerField.GridCode,
        ["所属网格"] = LedgerField.GridName,
        ["户籍类型"] = LedgerField.HouseholdType,
        ["人口类型"] = LedgerField.HouseholdType,
        ["标签"] = LedgerField.Tags,
        ["人员标签"] = LedgerField.Tags,
    };

    private readonly int[] _index;

    private LedgerColumns(IReadOnlyList<string> headers, int[] index)
    {
        Headers = headers;
        _index = index;
    }

    /// <summary>The file's header row.</summary>
    public IReadOnlyList<string> Headers { get; }

    /// <summary>The field → header text mapping in effect (to remember as the template).</summary>
    public IReadOnlyDictionary<string, string> Mapping =>
        Enum.GetValues<LedgerField>().Where(Has).ToDictionary(f => Headers[_index[(int)f]], FieldName);

    /// <summary>True when a column fills <paramref name="field"/>.</summary>
    public bool Has(LedgerField field) => _index[(int)field] >= 0;

    /// <summary>The header text of the column filling <paramref name="field"/>, for row errors.</summary>
    public string HeaderOf(LedgerField field) => Has(field) ? Headers[_index[(int)field]] : Label(field);

    /// <summary>The field's cell in a row, trimmed; null when blank or absent.</summary>
    public string? Cell(LedgerRow row, LedgerField field)
    {
        var i = _index[(int)field];
        if (i < 0 || i >= row.Cells.Length)
        {
            return null;
        }
        var text = row.Cells[i]?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>The camelCase name a mapping uses for a field.</summary>
    public static string FieldName(LedgerField field) => JsonNamingPolicyCamel(field.ToString());

    /// <summary>A hash of the normalised headers: the template a remembered mapping belongs to.</summary>
    public static string Signature(IReadOnlyList<string> headers) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', headers.Select(Normalize)))))[..32];

    /// <summary>
    /// Resolves the columns: <paramref name="mapping"/> (header text → field name) first, then the
    /// usual headers. Fails naming the required columns that are missing or the mapping's unknown entries.
    /// </summary>
    public static LedgerColumns Resolve(IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? mapping)
    {
        var index = Enumerable.Repeat(-1, Enum.GetValues<LedgerField>().Length).ToArray();
        var normalized = headers.Select(Normalize).ToList();
        var problems = new List<string>();
        foreach (var (header, fieldName) in mapping ?? new Dictionary<string, string>())
        {
            var column = normalized.IndexOf(Normalize(header));
            if (column < 0)
            {
                problems.Add($"映射中的列“{header}”不在文件中");
            }
            else if (!Enum.TryParse<LedgerField>(fieldName, ignoreCase: true, out var field) || !Enum.IsDefined(field))
            {
                problems.Add($"映射中的字段“{fieldName}”无效（可用：{string.Join("、", Enum.GetValues<LedgerField>().Select(FieldName))}）");
            }
            else
            {
                index[(int)field] = column;
            }
        }
        for (var column = 0; column < normalized.Count; column++)
        {
            if (Known.TryGetValue(normalized[column], out var field) && index[(int)field] < 0 && !index.Contains(column))
            {
                index[(int)field] = column;
            }
        }
        var missing = new List<string>();
        if (index[(int)LedgerField.Name] < 0)
        {
            missing.Add("姓名");
        }
        if (index[(int)LedgerField.IdNumber] < 0)
        {
            missing.Add("公民身份号码（或 身份证号、证件号码）");
        }
        if (index[(int)LedgerField.GridCode] < 0 && index[(int)LedgerField.GridName] < 0)
        {
            missing.Add("网格编码（或 所属网格）");
        }
        if (missing.Count > 0)
        {
            problems.Add("缺少必需的列：" + string.Join("、", missing));
        }
        if (problems.Count > 0)
        {
            throw new LedgerColumnsException(problems, headers);
        }
        return new LedgerColumns(headers, index);
    }

    private static string Label(LedgerField field) => Known.FirstOrDefault(k => k.Value == field).Key ?? FieldName(field);

    internal static string Normalize(string header) =>
        header.Replace(" ", "", StringComparison.Ordinal).Replace("\u3000", "", StringComparison.Ordinal).Trim('*', '＊', '\uFEFF');

    private static string JsonNamingPolicyCamel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}

/// <summary>The columns cannot be resolved: what is missing or wrong, and the file's headers for the mapping step.</summary>
internal sealed class LedgerColumnsException(IReadOnlyList<string> problems, IReadOnlyList<string> headers)
    : Exception(string.Join("；", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    public IReadOnlyList<string> Headers { get; } = headers;
}
