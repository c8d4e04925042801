using CivicGrid.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CivicGrid.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef</c> build the model for the Postgres provider without starting the host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CivicGridDbContext>
{
    /// <inheritdoc />
    public CivicGridDbContext CreateDbContext(string[] args)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Postgres, "Host=localhost;Database=civicgrid_design;Username=postgres");
        var options = new DbContextOptionsBuilder<CivicGridDbContext>();
        DatabaseSetup.Configure(options, settings);
        return new CivicGridDbContext(options.Options);
    }
}
