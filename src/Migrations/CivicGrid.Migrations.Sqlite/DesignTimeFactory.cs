using CivicGrid.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CivicGrid.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef</c> build the model for the Sqlite provider without starting the host.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<CivicGridDbContext>
{
    /// <inheritdoc />
    public CivicGridDbContext CreateDbContext(string[] args)
    {
        var settings = new DatabaseSettings(DatabaseProvider.Sqlite, "Data Source=design-time.db");
        var options = new DbContextOptionsBuilder<CivicGridDbContext>();
        DatabaseSetup.Configure(options, settings);
        return new CivicGridDbContext(options.Options);
    }
}
