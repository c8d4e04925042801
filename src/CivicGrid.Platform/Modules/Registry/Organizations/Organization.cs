using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Organizations;

/// <summary>The kinds of organization (组织).</summary>
public enum OrganizationKind
{
    /// <summary>非公有制经济组织 (private enterprises, individual businesses).</summary>
    NonPublicEconomic = 1,
    /// <summary>社会组织 (associations, foundations, private non-enterprise units).</summary>
    Social = 2,
    /// <summary>机关事业单位.</summary>
    PublicInstitution = 3,
}

/// <summary>An organization in a grid; its phone is kept like a person's: encrypted, blind-indexed, shown masked.</summary>
internal sealed class Organization : LocatedRecord
{
    public OrganizationKind Kind { get; set; }

    /// <summary>统一社会信用代码 (GB 32100), checked.</summary>
    public string? CreditCode { get; set; }

    /// <summary>法定代表人 / 负责人.</summary>
    public string? LegalRepresentative { get; set; }

    public byte[]? PhoneCipher { get; set; }

    public byte[]? PhoneIndex { get; set; }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        LocatedRecord.ConfigureCommon(builder, "registry_organizations");
        builder.Property(o => o.Kind).HasConversion<int>();
        builder.Property(o => o.CreditCode).HasMaxLength(18).IsUnicode(false);
        builder.Property(o => o.LegalRepresentative).HasMaxLength(50);
        builder.HasIndex(o => o.CreditCode);
        builder.HasIndex(o => o.PhoneIndex);
    }
}

/// <summary>An organization as the API shows it (phone masked).</summary>
internal sealed record OrganizationView(
    Guid Id, string Name, OrganizationKind Kind, string? CreditCode, string? LegalRepresentative, string? Phone, string? Address, double? Lon,
    double? Lat, string GridCode, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset UpdatedAt, string UpdatedBy) : ILocatedView;

/// <summary>The body of <c>POST /organizations</c> and <c>PUT /organizations/{id}</c>.</summary>
internal sealed record OrganizationInput(
    string? Name, OrganizationKind? Kind, string? CreditCode, string? LegalRepresentative, string? Phone, string? Address, double? Lon,
    double? Lat, string? GridCode) : ILocatedInput;

/// <summary>The organizations' use cases.</summary>
internal sealed class OrganizationRecords(LocatedServices services, IFieldProtector protector)
    : LocatedRecords<Organization, OrganizationInput, OrganizationView>(services)
{
    protected override string Noun => "organization";

    protected override string Label => "组织";

    protected override Organization New() => new();

    protected override void Validate(OrganizationInput input, FieldErrors errors)
    {
        errors.When(input.Kind is not { } kind || !Enum.IsDefined(kind), "kind", "kind 须为 NonPublicEconomic / Social / PublicInstitution");
        if (Trimmed(input.CreditCode) is { } code && CreditCode.Problem(CreditCode.Normalize(code)) is { } problem)
        {
            errors.Add("creditCode", problem);
        }
        errors.When(Trimmed(input.LegalRepresentative) is { Length: > 50 }, "legalRepresentative", "法定代表人最多 50 个字")
            .When(Trimmed(input.Phone) is { } phone && !PhoneNumbers.TryNormalizeMobile(phone, out _) && FieldNormalizer.Phone(phone).Length is < 7 or > 12,
                "phone", "电话须为手机号或 7-12 位固定电话");
    }

    protected override void Apply(Organization record, OrganizationInput input)
    {
        record.Kind = input.Kind!.Value;
        record.CreditCode = Trimmed(input.CreditCode) is { } code ? CreditCode.Normalize(code) : null;
        record.LegalRepresentative = Trimmed(input.LegalRepresentative);
        var phone = Trimmed(input.Phone) is { } text ? FieldNormalizer.Phone(text) : null;
        var index = phone is null ? null : protector.BlindIndex(phone, FieldKind.Phone);
        // Re-encrypted only when the number changed: the history sees a change only then.
        if (index is null || record.PhoneIndex is null || !index.AsSpan().SequenceEqual(record.PhoneIndex))
        {
            record.PhoneCipher = phone is null ? null : protector.Encrypt(phone, FieldKind.Phone);
            record.PhoneIndex = index;
        }
    }

    protected override OrganizationView View(Organization o) => new(
        o.Id, o.Name, o.Kind, o.CreditCode, o.LegalRepresentative, MaskedPhone(o.PhoneCipher), o.Address, o.Lon, o.Lat, o.GridCode,
        o.CreatedAt, o.CreatedBy, o.UpdatedAt, o.UpdatedBy);

    protected override IQueryable<Organization> Search(IQueryable<Organization> records, string text)
    {
        var code = text.ToUpperInvariant();
        return records.Where(o => o.Name.Contains(text) || o.CreditCode == code);
    }

    private string? MaskedPhone(byte[]? cipher)
    {
        if (cipher is null)
        {
            return null;
        }
        try
        {
            return Masking.Phone(protector.Decrypt(cipher));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return "******";
        }
    }
}
