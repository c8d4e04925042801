using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CivicGrid.Infrastructure.Data;

/// <summary>
/// The one EF Core model of the platform. Each module adds its tables through
/// <see cref="IEntityTypeConfiguration{TEntity}"/> classes in its own folder; modules never
/// read each other's tables (an architecture test keeps it so).
/// </summary>
public sealed class CivicGridDbContext(DbContextOptions<CivicGridDbContext> options) : DbContext(options)
{
    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CivicGridDbContext).Assembly);

    /// <inheritdoc />
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            // SQLite cannot compare or order DateTimeOffset text; instants are UTC, so store
            // them as orderable 64-bit numbers. PostgreSQL keeps timestamptz.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        }
    }
}
