using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CivicGrid.Modules.Identity.Users;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.UserName).HasMaxLength(64).IsRequired();
        builder.Property(u => u.NormalizedUserName).HasMaxLength(64).IsRequired();
        builder.HasIndex(u => u.NormalizedUserName).IsUnique();
        builder.Property(u => u.DisplayName).HasMaxLength(100).IsRequired();
        builder.Property(u => u.PasswordHash).HasMaxLength(200).IsUnicode(false).IsRequired();
        // Ciphertext and blind index only (bytea / BLOB); the clear phone is never stored.
        builder.Property(u => u.PhoneCipher);
        builder.Property(u => u.PhoneIndex);
        builder.HasIndex(u => u.PhoneIndex);
        builder.Property(u => u.TotpSecret).HasMaxLength(500).IsUnicode(false);
        builder.Ignore(u => u.HasTotp);
        builder.HasMany(u => u.Roles).WithOne().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(u => u.Roles).HasField("_roles");
    }
}

internal sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> builder)
    {
        builder.ToTable("role_assignments");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Role).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(r => r.JurisdictionCode).HasMaxLength(18).IsUnicode(false).IsRequired();
        builder.Property(r => r.DepartmentCode).HasMaxLength(64);
        builder.HasIndex(r => new { r.UserId, r.Role, r.JurisdictionCode }).IsUnique();
        builder.HasIndex(r => r.JurisdictionCode);
    }
}

internal sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("refresh_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.TokenHash).HasMaxLength(64).IsUnicode(false).IsFixedLength().IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.FamilyId);
        builder.HasIndex(t => t.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
