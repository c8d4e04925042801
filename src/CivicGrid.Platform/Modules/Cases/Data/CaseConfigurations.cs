using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Cases.Data;

internal sealed class CaseCategoryConfiguration : IEntityTypeConfiguration<CaseCategory>
{
    public void Configure(EntityTypeBuilder<CaseCategory> builder)
    {
        builder.ToTable("case_categories");
        builder.HasKey(c => c.Code);
        builder.Property(c => c.Code).HasMaxLength(16).IsUnicode(false);
        builder.Property(c => c.ParentCode).HasMaxLength(16).IsUnicode(false);
        builder.Property(c => c.Name).HasMaxLength(100).IsRequired();
        builder.Property(c => c.FirstLevel).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.Property(c => c.DepartmentCode).HasMaxLength(64).IsUnicode(false);
        builder.HasIndex(c => c.ParentCode);
        // Seeded by the migration: the classification is reference data every installation starts with.
        builder.HasData(CaseCategorySeed.All);
    }
}

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> builder)
    {
        builder.ToTable("cases");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Number).HasMaxLength(24).IsUnicode(false).IsRequired();
        builder.HasIndex(c => c.Number).IsUnique();
        builder.Property(c => c.CategoryCode).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.HasOne<CaseCategory>().WithMany().HasForeignKey(c => c.CategoryCode).OnDelete(DeleteBehavior.Restrict);
        builder.Property(c => c.GridCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.HasIndex(c => new { c.GridCode, c.CreatedAt });
        builder.HasIndex(c => new { c.State, c.CreatedAt });
        // Duplicates at intake: the same category near in time.
        builder.HasIndex(c => new { c.CategoryCode, c.CreatedAt });
        builder.Property(c => c.HandledBy).HasMaxLength(64);
        builder.Property(c => c.Description).HasMaxLength(2000).IsRequired();
        builder.Property(c => c.Channel).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.Property(c => c.ReporterName).HasMaxLength(64);
        builder.HasIndex(c => c.ReporterPhoneIndex);
        builder.Property(c => c.PhotoIds).HasMaxLength(400).IsUnicode(false);
        builder.Property(c => c.State).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.Property(c => c.Assignee).HasMaxLength(64);
        builder.Property(c => c.Satisfaction).HasMaxLength(24).IsUnicode(false);
        builder.Property(c => c.Version).IsConcurrencyToken();
        // The deadline job asks for the few stages whose warning or deadline has come; these partial
        // indexes hold only the stages still to be marked, so a sweep reads only what is due.
        builder.HasIndex(c => c.StageWarnAt).HasDatabaseName("IX_cases_StageWarnAt_unwarned").HasFilter("\"WarnedAt\" IS NULL");
        builder.HasIndex(c => c.StageDueAt).HasDatabaseName("IX_cases_StageDueAt_not_overdue").HasFilter("\"OverdueAt\" IS NULL");
        // People's data: a caller sees the cases of his subtree only (docs/adr/0007).
        builder.ScopedBy(c => c.GridCode);
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> builder)
    {
        builder.ToTable("case_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        builder.HasOne<Case>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Cascade);
        // One event per step: a second writer of the same step fails here too.
        builder.HasIndex(e => new { e.CaseId, e.Sequence }).IsUnique();
        builder.Property(e => e.Action).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(e => e.FromState).HasMaxLength(16).IsUnicode(false);
        builder.Property(e => e.ToState).HasMaxLength(16).IsUnicode(false).IsRequired();
        builder.Property(e => e.Actor).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Role).HasMaxLength(32).IsUnicode(false);
        // A reason and a note of up to 2,000 characters each, joined.
        builder.Property(e => e.Note).HasMaxLength(4100);
        builder.Property(e => e.PhotoIds).HasMaxLength(400).IsUnicode(false);
    }
}

internal sealed class CaseNumberCounterConfiguration : IEntityTypeConfiguration<CaseNumberCounter>
{
    public void Configure(EntityTypeBuilder<CaseNumberCounter> builder)
    {
        builder.ToTable("case_number_counters");
        builder.HasKey(c => c.Day);
        builder.Property(c => c.Day).HasMaxLength(8).IsUnicode(false);
    }
}

internal sealed class CaseIdempotencyKeyConfiguration : IEntityTypeConfiguration<CaseIdempotencyKey>
{
    public void Configure(EntityTypeBuilder<CaseIdempotencyKey> builder)
    {
        builder.ToTable("case_idempotency_keys");
        builder.HasKey(k => new { k.UserName, k.Key });
        builder.Property(k => k.UserName).HasMaxLength(64);
        builder.Property(k => k.Key).HasMaxLength(100);
        builder.HasOne<Case>().WithMany().HasForeignKey(k => k.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CaseSummonsConfiguration : IEntityTypeConfiguration<CaseSummons>
{
    public void Configure(EntityTypeBuilder<CaseSummons> builder)
    {
        builder.ToTable("case_summons");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedOnAdd();
        builder.HasOne<Case>().WithMany().HasForeignKey(s => s.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => new { s.CaseId, s.DepartmentCode });
        builder.Property(s => s.DepartmentCode).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(s => s.SummonedBy).HasMaxLength(64).IsRequired();
        builder.Property(s => s.CheckedInBy).HasMaxLength(64);
        // The deadline job reads only the summonses still unanswered and not yet marked.
        builder.HasIndex(s => s.DueAt).HasDatabaseName("IX_case_summons_DueAt_open").HasFilter("\"CheckedInAt\" IS NULL AND \"OverdueAt\" IS NULL");
    }
}

internal sealed class CaseFollowerConfiguration : IEntityTypeConfiguration<CaseFollower>
{
    public void Configure(EntityTypeBuilder<CaseFollower> builder)
    {
        builder.ToTable("case_followers");
        builder.HasKey(f => new { f.CaseId, f.UserId });
        builder.HasOne<Case>().WithMany().HasForeignKey(f => f.CaseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(f => f.UserId);
    }
}
