using System.Globalization;
using System.Text;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Demo;

/// <summary>
/// One demo user per role in the demo district (two township users, in different townships), with
/// generated passwords written to <c>demo-users.csv</c>: next to the SQLite file, or in the working
/// directory's <c>data/</c> on PostgreSQL (<c>Demo:UsersFile</c> overrides). Only the demo does this.
/// The Open311 client's row carries its API key in the last column instead of a password.
/// </summary>
internal sealed class DemoUsers(IDivisionDirectory divisions, IUserAccounts accounts, IApiKeys apiKeys, DatabaseSettings database,
    IConfiguration configuration)
{
    public const string FileName = "demo-users.csv";

    /// <summary>The contract's header; columns: role, jurisdiction code, user name, password (for role open311: the API key).</summary>
    public const string Header = "role,jurisdiction_code,user_name,password";

    public string FilePath
    {
        get
        {
            if (configuration["Demo:UsersFile"] is { Length: > 0 } configured)
            {
                return configured;
            }
            if (database.Provider == DatabaseProvider.Sqlite
                && new SqliteConnectionStringBuilder(database.ConnectionString).DataSource is { Length: > 0 } file
                && !file.Equals(":memory:", StringComparison.Ordinal))
            {
                return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, FileName);
            }
            return Path.Combine(Directory.GetCurrentDirectory(), "data", FileName);
        }
    }

    /// <summary>Creates the users and writes the file; returns its path, or null when the users already exist.</summary>
    public async Task<string?> SeedAsync(string area, CancellationToken cancellationToken)
    {
        if (await accounts.ExistsAsync("demo-admin", cancellationToken))
        {
            return null;
        }
        var townships = (await divisions.ChildrenAsync(area, cancellationToken)).Where(d => d.Level == DivisionLevel.Township).ToList();
        if (townships.Count == 0)
        {
            throw new InvalidOperationException($"区划 {area} 下没有街道/乡镇，无法创建演示用户");
        }
        var township2 = townships.Count > 1 ? townships[1] : townships[0];
        var community = await FirstChildAsync(townships[0].Code, cancellationToken) ?? townships[0];
        var grid = await FirstChildAsync(community.Code, cancellationToken) ?? community;

        var plan = new (string UserName, RoleGrant Grant)[]
        {
            ("demo-admin", new RoleGrant(Roles.Admin, area)),
            ("demo-leader", new RoleGrant(Roles.Leader, area)),
            ("demo-department", new RoleGrant(Roles.Department, area, "urban-management")),
            ("demo-centre", new RoleGrant(Roles.Centre, area)),
            ("demo-township-1", new RoleGrant(Roles.Township, townships[0].Code)),
            ("demo-township-2", new RoleGrant(Roles.Township, township2.Code)),
            ("demo-community", new RoleGrant(Roles.Community, community.Code)),
            ("demo-grid-head", new RoleGrant(Roles.GridHead, grid.Code)),
            ("demo-grid-worker", new RoleGrant(Roles.GridWorker, grid.Code)),
            ("demo-resident", new RoleGrant(Roles.Resident, grid.Code)),
            ("demo-open311", new RoleGrant(Roles.Open311, area)),
        };
        var csv = new StringBuilder().Append(Header).Append('\n');
        for (var i = 0; i < plan.Length; i++)
        {
            var (userName, grant) = plan[i];
            // Fake but plausible mobile numbers, the same on every seed: 13804711001, 13804711002, …
            var phone = string.Create(CultureInfo.InvariantCulture, $"1380471{1001 + i:D4}");
            var created = await accounts.CreateAsync(userName, grant, phone: phone, cancellationToken: cancellationToken);
            if (!created.IsSuccess)
            {
                throw new InvalidOperationException($"演示用户 {userName}: {created.Error!.Message}");
            }
            var secret = created.Value.Password;
            if (grant.Role == Roles.Open311)
            {
                var key = await apiKeys.IssueAsync(userName, cancellationToken);
                secret = key.IsSuccess ? key.Value : throw new InvalidOperationException($"演示用户 {userName}: {key.Error!.Message}");
            }
            csv.Append(grant.Role).Append(',').Append(grant.JurisdictionCode).Append(',')
                .Append(userName).Append(',').Append(secret).Append('\n');
        }
        var path = FilePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written whole then moved, and owner-only from birth: it holds passwords.
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(temporary, options))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), cancellationToken);
        }
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private async Task<DivisionSummary?> FirstChildAsync(string code, CancellationToken cancellationToken) =>
        (await divisions.ChildrenAsync(code, cancellationToken)).FirstOrDefault();
}
