using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Data;

namespace CivicGrid.Modules.Registry.Special;

/// <summary>The register entries' notes, re-encrypted on key rotation.</summary>
internal sealed class SpecialNotesStore(CivicGridDbContext db)
    : CipherColumnStore<SpecialRegisterEntry>(db, nameof(SpecialRegisterEntry.NotesCipher), FieldKind.Text)
{
    public override string Name => "registry.special_notes";
}
