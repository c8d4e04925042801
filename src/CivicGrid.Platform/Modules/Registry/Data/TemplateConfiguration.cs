using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Modules.Registry.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Registry.Data;

internal sealed class ReportTemplateConfiguration : IEntityTypeConfiguration<ReportTemplate>
{
    public void Configure(EntityTypeBuilder<ReportTemplate> builder)
    {
        builder.ToTable("registry_report_templates");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(100).IsRequired();
        builder.Property(t => t.Description).HasMaxLength(500);
        builder.Property(t => t.OwnerCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(t => t.DepartmentCode).HasMaxLength(32);
        // The definition as JSON text (docs/adr/0017): read and written whole, the same on both providers.
        builder.Property(t => t.FilterJson).IsRequired();
        builder.Property(t => t.ColumnsJson).IsRequired();
        builder.Property(t => t.CreatedBy).HasMaxLength(64).IsRequired();
        builder.Property(t => t.UpdatedBy).HasMaxLength(64).IsRequired();
        builder.Ignore(t => t.Filter);
        builder.Ignore(t => t.Columns);
        builder.HasIndex(t => new { t.OwnerCode, t.Name }).IsUnique();
        // A template is seen below its division (the grid workers who fill it) and above (who oversees it).
        builder.ScopedBy(t => t.OwnerCode, ancestorsVisible: true);
    }
}

internal sealed class TemplateValueConfiguration : IEntityTypeConfiguration<TemplateValue>
{
    public void Configure(EntityTypeBuilder<TemplateValue> builder)
    {
        builder.ToTable("registry_template_values");
        builder.HasKey(v => new { v.TemplateId, v.PersonId, v.FieldKey });
        builder.Property(v => v.FieldKey).HasMaxLength(40).IsUnicode(false);
        builder.Property(v => v.Value).HasMaxLength(200).IsRequired();
        builder.Property(v => v.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(v => v.UpdatedBy).HasMaxLength(64).IsRequired();
        builder.HasOne<ReportTemplate>().WithMany().HasForeignKey(v => v.TemplateId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Person>().WithMany().HasForeignKey(v => v.PersonId).OnDelete(DeleteBehavior.Cascade);
        // The fill reads one template's values within a division: a range on the grid code.
        builder.HasIndex(v => new { v.TemplateId, v.GridCode });
        builder.ScopedBy(v => v.GridCode);
    }
}
