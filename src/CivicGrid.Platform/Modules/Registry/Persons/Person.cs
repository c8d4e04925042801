using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.History;

namespace CivicGrid.Modules.Registry.Persons;

/// <summary>The document a person is registered with (证件类型).</summary>
public enum DocumentType
{
    /// <summary>居民身份证: GB 11643 number; birth date and sex derived from it.</summary>
    IdCard = 1,
    /// <summary>护照.</summary>
    Passport = 2,
    /// <summary>港澳台居民通行证 / 居住证.</summary>
    HkMacaoTaiwanPermit = 3,
    /// <summary>出生医学证明 (infants before their first ID card).</summary>
    BirthCertificate = 4,
    /// <summary>无证件.</summary>
    None = 5,
}

/// <summary>Household registration type (户籍类型).</summary>
public enum HouseholdType
{
    /// <summary>户籍人口: registered here.</summary>
    Registered = 1,
    /// <summary>流动人口: living here, registered elsewhere.</summary>
    Floating = 2,
    /// <summary>境外人员.</summary>
    Overseas = 3,
}

/// <summary>
/// A resident (实有人口). The document number and the phone are kept only encrypted, each with a
/// blind index of the whole value and one of its last four characters; the grid code is the
/// person's jurisdiction (the query filter scopes every read by it).
/// </summary>
internal sealed class Person : IRegistryRecord
{
    public const char TagSeparator = '|';

    private Person()
    {
        Name = NameInitials = GridCode = Tags = CreatedBy = UpdatedBy = string.Empty;
    }

    public Person(Guid id, DateTimeOffset at, string by)
        : this()
    {
        Id = id;
        CreatedAt = UpdatedAt = at;
        CreatedBy = UpdatedBy = by;
    }

    public Guid Id { get; private set; }

    public string Name { get; set; }

    /// <summary>Lower-case pinyin initials of the name (<c>zs</c> for 张三).</summary>
    public string NameInitials { get; set; }

    public DocumentType DocumentType { get; set; }

    /// <summary>The document number (ID number for <see cref="DocumentType.IdCard"/>), AES-256-GCM; never clear.</summary>
    public byte[]? DocumentCipher { get; set; }

    /// <summary>Blind index of the whole document number: the lookup by exact number and the duplicate check.</summary>
    public byte[]? DocumentIndex { get; set; }

    /// <summary>Blind index of the document number's last four characters: the "ends in 1234" search.</summary>
    public byte[]? DocumentTailIndex { get; set; }

    public byte[]? PhoneCipher { get; set; }

    public byte[]? PhoneIndex { get; set; }

    public byte[]? PhoneTailIndex { get; set; }

    public Sex Sex { get; set; }

    public DateOnly? BirthDate { get; set; }

    /// <summary>GB/T 3304 code (<c>01</c> 汉族 …), see <see cref="Ethnicities"/>.</summary>
    public string? EthnicityCode { get; set; }

    public HouseholdType HouseholdType { get; set; }

    public string? Address { get; set; }

    /// <summary>The 15-digit grid the person lives in: the person's jurisdiction.</summary>
    public string GridCode { get; set; }

    /// <summary><c>|独居老人|低保|</c>: each tag between separators, so a tag is found with one LIKE.</summary>
    public string Tags { get; set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string UpdatedBy { get; private set; }

    public IReadOnlyList<string> TagList => Tags.Split(TagSeparator, StringSplitOptions.RemoveEmptyEntries);

    public static string JoinTags(IEnumerable<string> tags)
    {
        if (tags is IReadOnlyCollection<string> { Count: 0 })
        {
            return string.Empty;
        }
        var list = tags.ToList();
        return list.Count == 0 ? string.Empty : TagSeparator + string.Join(TagSeparator, list) + TagSeparator;
    }

    public void Touch(DateTimeOffset at, string by)
    {
        UpdatedAt = at;
        UpdatedBy = by;
    }
}
