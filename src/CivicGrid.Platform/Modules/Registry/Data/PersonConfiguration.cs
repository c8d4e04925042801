using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Persons;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Data;

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> builder)
    {
        builder.ToTable("registry_persons");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Name).HasMaxLength(50).IsRequired();
        builder.Property(p => p.NameInitials).HasMaxLength(50).IsUnicode(false).IsRequired();
        builder.Property(p => p.DocumentType).HasConversion<int>();
        // Ciphertext and blind indexes only (bytea / BLOB): the clear number and phone are never stored.
        builder.Property(p => p.DocumentCipher);
        builder.Property(p => p.DocumentIndex);
        builder.Property(p => p.DocumentTailIndex);
        builder.Property(p => p.PhoneCipher);
        builder.Property(p => p.PhoneIndex);
        builder.Property(p => p.PhoneTailIndex);
        builder.Property(p => p.Sex).HasConversion<int>();
        builder.Property(p => p.EthnicityCode).HasMaxLength(2).IsUnicode(false);
        builder.Property(p => p.HouseholdType).HasConversion<int>();
        builder.Property(p => p.Address).HasMaxLength(200);
        builder.Property(p => p.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(p => p.Tags).HasMaxLength(400).IsRequired();
        builder.Property(p => p.CreatedBy).HasMaxLength(64).IsRequired();
        builder.Property(p => p.UpdatedBy).HasMaxLength(64).IsRequired();
        builder.Ignore(p => p.TagList);

        // One person per document number (NULLs, persons without a document, do not collide).
        builder.HasIndex(p => p.DocumentIndex).IsUnique();
        // The "ends in 1234" search (PersonDirectory). The whole phone's index has no index of its own:
        // no query looks a person up by phone (it is compared on the person at hand), and every
        // index costs each bulk import a random B-tree insert per row.
        builder.HasIndex(p => p.DocumentTailIndex);
        builder.HasIndex(p => p.PhoneTailIndex);
        // A division's persons are a GridCode range; a name search within it reads only this index
        // (index-only: the initials or the name are tested in the index, the Id comes with them), never
        // the rows it does not return. One index serves both kinds of search: a second one cost each
        // imported row another B-tree insert (docs/adr/0023, 0029).
        builder.HasIndex(p => new { p.GridCode, p.NameInitials, p.Name, p.Id });
        // People's data: a caller sees the persons of his subtrees only, never those above or beside.
        builder.ScopedBy(p => p.GridCode);
    }
}
