using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Data;

namespace CivicGrid.Modules.Registry.Organizations;

/// <summary>The organizations' phones, re-encrypted on key rotation.</summary>
internal sealed class OrganizationPhoneStore(CivicGridDbContext db)
    : CipherColumnStore<Organization>(db, nameof(Organization.PhoneCipher), FieldKind.Phone)
{
    public override string Name => "registry.organization_phones";
}
