using System.CommandLine;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Demo;
using CivicGrid.Modules.Geography;
using CivicGrid.Modules.Geography.Boundaries;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Geography.Demo;
using CivicGrid.Modules.Identity.Audit;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Identity.Protection;
using CivicGrid.Modules.Registry.Houses;
using CivicGrid.Modules.Registry.Import;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CivicGrid.Infrastructure.Cli;

/// <summary>
/// The command line of the same executable: <c>dotnet run --project src/CivicGrid -- VERB</c>.
/// Every verb resolves the same use-case classes the endpoints use.
/// </summary>
public static class CommandLine
{
    private static readonly string[] HelpFlags = ["--help", "-h", "-?", "--version"];

    /// <summary>True when the arguments name a verb (or ask for help) rather than start the web server.</summary>
    public static bool IsCommand(string[] args) =>
        args.Length > 0 && (!args[0].StartsWith('-') || HelpFlags.Contains(args[0]));

    /// <summary>Parses and runs a verb; <paramref name="services"/> is the platform's container.</summary>
    public static Task<int> RunAsync(string[] args, IServiceProvider services)
    {
        var root = new RootCommand("CivicGrid 网格智治: run with no verb to start the web platform on http://localhost:5080.");

        var migrate = new Command("migrate", "Apply pending database migrations (SQLite or PostgreSQL, per Database:Provider)");
        migrate.SetAction(async (_, ct) => await InScope(services, async sp =>
        {
            var migrator = sp.GetRequiredService<DatabaseMigrator>();
            var pending = await migrator.PendingAsync(ct);
            await migrator.MigrateAsync(ct);
            await Console.Out.WriteLineAsync($"migrated: {pending.Count} migration(s) applied");
            return 0;
        }));
        root.Subcommands.Add(migrate);

        var seed = new Command("seed", "Seed data");
        var demo = new Command("demo", "Seed the demo district: shipped divisions, then a partition of the district into grids");
        var area = new Option<string>("--area") { Description = "County-level code of the demo district", DefaultValueFactory = _ => SeedDemo.DefaultArea };
        var grids = new Option<int>("--grids") { Description = "Total number of grids in the district", DefaultValueFactory = _ => SeedDemo.DefaultGrids };
        var persons = new Option<int?>("--persons") { Description = $"Synthetic persons in the district, topped up to N (at most {SeedDemo.MaxPersons:N0}; default Demo:Persons, {SeedDemo.DefaultPersons:N0})" };
        demo.Options.Add(area);
        demo.Options.Add(grids);
        demo.Options.Add(persons);
        demo.SetAction(async (parse, ct) => await InScope(services, async sp =>
        {
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var seeder = sp.GetRequiredService<SeedDemo>();
            if (parse.GetValue(persons) is < 0 or > SeedDemo.MaxPersons)
            {
                await Console.Error.WriteLineAsync($"--persons must be between 0 and {SeedDemo.MaxPersons}");
                return 2;
            }
            var report = await seeder.RunAsync(parse.GetValue(area)!, parse.GetValue(grids), parse.GetValue(persons) ?? seeder.PersonsOnStart, ct);
            await PrintImportAsync(report.Divisions);
            var map = report.Geography;
            await Console.Out.WriteLineAsync(map.AlreadySeeded
                ? $"area {map.Area} already has grids: left as it is"
                : $"area {map.Area}: {map.Townships} townships, {map.Communities} communities, {map.Grids} grids, {map.MicroGrids} micro-grids drawn");
            if (report.UsersFile is not null)
            {
                await Console.Out.WriteLineAsync($"demo users (one per role) and their passwords: {report.UsersFile}");
            }
            if (report.Persons is { } people)
            {
                await Console.Out.WriteLineAsync($"persons: {people.Existing} already there, {people.Added} added in {people.Elapsed.TotalSeconds:F1} s");
            }
            await Console.Out.WriteLineAsync($"demo seeded in {report.Elapsed.TotalSeconds:F1} s");
            return 0;
        }));
        seed.Subcommands.Add(demo);
        root.Subcommands.Add(seed);

        var import = new Command("import", "Import reference data");
        var divisionsDir = new Argument<DirectoryInfo>("dir") { Description = "Folder with provinces.csv, cities.csv, areas.csv, streets.csv, villages.csv" };
        var divisions = new Command("divisions", "Import division tables (any province); idempotent, reports rejected rows");
        divisions.Arguments.Add(divisionsDir);
        divisions.SetAction(async (parse, ct) => await InScope(services, async sp =>
        {
            var dir = parse.GetValue(divisionsDir)!;
            if (!dir.Exists)
            {
                await Console.Error.WriteLineAsync($"no such folder: {dir.FullName}");
                return 2;
            }
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var report = await sp.GetRequiredService<IDivisionDirectory>().ImportAsync(new FolderDivisionTables(dir.FullName), ct);
            await PrintImportAsync(report);
            return report.Errors.Count == 0 ? 0 : 1;
        }));
        import.Subcommands.Add(divisions);

        var alias = new Option<string[]>("--alias")
        {
            Description = "Map a feature code that matches no division to one that does: OLD=NEW (repeatable)",
            AllowMultipleArgumentsPerToken = true,
        };
        foreach (var (name, mode, description) in new[]
                 {
                     ("boundaries", BoundaryImportMode.Divisions, "Import division boundaries from a GeoJSON FeatureCollection (feature id = division code)"),
                     ("grids", BoundaryImportMode.Grids, "Import grids and micro-grids from a GeoJSON FeatureCollection (id = 15/18-digit code, properties.name)"),
                 })
        {
            var file = new Argument<FileInfo>("file") { Description = "GeoJSON FeatureCollection, or an Esri Shapefile (.shp with its .dbf; fields code, name)" };
            var command = new Command(name, description);
            command.Arguments.Add(file);
            if (mode == BoundaryImportMode.Divisions)
            {
                command.Options.Add(alias);
            }
            command.SetAction(async (parse, ct) => await InScope(services, async sp =>
            {
                var path = parse.GetValue(file)!;
                if (!path.Exists)
                {
                    await Console.Error.WriteLineAsync($"no such file: {path.FullName}");
                    return 2;
                }
                var aliases = GeoEndpoints.ParseAliases(string.Join(',', parse.GetValue(alias) ?? []), '=');
                if (!aliases.IsSuccess)
                {
                    await Console.Error.WriteLineAsync(aliases.Error!.Fields!.Values.First()[0]);
                    return 2;
                }
                await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                var importer = sp.GetRequiredService<ImportBoundaries>();
                Result<BoundaryImportReport> result;
                if (path.Extension.Equals(".shp", StringComparison.OrdinalIgnoreCase))
                {
                    result = await importer.HandleShapefileAsync(path.FullName, $"import:{path.Name}", mode, aliases.Value, ct);
                }
                else
                {
                    await using var stream = path.OpenRead();
                    result = await importer.HandleAsync(stream, $"import:{path.Name}", mode, aliases.Value, ct);
                }
                if (!result.IsSuccess)
                {
                    await Console.Error.WriteLineAsync(result.Error!.Fields?.Values.First()[0] ?? result.Error.Message);
                    return 2;
                }
                var report = result.Value;
                await Console.Out.WriteLineAsync(
                    $"{report.Features} features: {report.Imported} imported, {report.Unchanged} unchanged, {report.Rejected} rejected, {report.Warnings.Count} warnings");
                foreach (var issue in report.Errors)
                {
                    await Console.Error.WriteLineAsync($"error   #{issue.Index} {issue.Id}: {issue.Reason}{(issue.Suggestion is null ? "" : $" — closest: {issue.Suggestion}")}");
                }
                foreach (var issue in report.Warnings)
                {
                    await Console.Error.WriteLineAsync($"warning #{issue.Index} {issue.Id}: {issue.Reason}");
                }
                return report.Rejected == 0 ? 0 : 1;
            }));
            import.Subcommands.Add(command);
        }
        import.Subcommands.Add(LedgerCommand(services));
        root.Subcommands.Add(import);

        var audit = new Command("audit", "The hash-chained audit log");
        var verify = new Command("verify", "Walk the audit chain and name the first record that was edited, deleted or reordered");
        verify.SetAction(async (_, ct) => await InScope(services, async sp =>
        {
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var result = await sp.GetRequiredService<IAuditLog>().VerifyAsync(ct);
            if (result.IsIntact)
            {
                await Console.Out.WriteLineAsync($"audit chain intact: {result.Records} records" +
                    (result.AnchoredThrough is { } through ? $" after the retention anchor at #{through}" : ""));
                return 0;
            }
            await Console.Error.WriteLineAsync(result.BrokenAnchor is { } anchor
                ? $"audit chain broken at anchor #{anchor}: {result.Reason}"
                : $"audit chain broken at record #{result.BrokenSequence} ({result.BrokenId}): {result.Reason}");
            return 1;
        }));
        audit.Subcommands.Add(verify);

        var prune = new Command("prune", "Delete audit records older than Audit:RetentionDays (≥ 180) once, leaving a verifiable anchor");
        prune.SetAction(async (_, ct) => await InScope(services, async sp =>
        {
            int days;
            try
            {
                days = sp.GetRequiredService<IOptions<AuditSettings>>().Value.RetentionDays;
            }
            catch (OptionsValidationException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var result = await sp.GetRequiredService<AuditRetentionJob>().RunOnceAsync(ct);
            if (result.Refused is not null)
            {
                await Console.Error.WriteLineAsync($"nothing pruned: {result.Refused}");
                return 1;
            }
            await Console.Out.WriteLineAsync(result.Pruned == 0
                ? $"pruned 0 audit records: none older than {days} days"
                : $"pruned {result.Pruned} audit records older than {days} days, through #{result.ThroughSequence} (anchor #{result.AnchorId})");
            return 0;
        }));
        audit.Subcommands.Add(prune);
        root.Subcommands.Add(audit);

        root.Subcommands.Add(UsersCommand(services));
        root.Subcommands.Add(KeysCommand(services));

        return root.Parse(args).InvokeAsync();
    }

    private static Command LedgerCommand(IServiceProvider services)
    {
        var file = new Argument<FileInfo>("file") { Description = "The ledger: .xlsx or .csv (UTF-8 with or without BOM, or GB18030/GBK)" };
        var type = new Option<string>("--type") { Description = "What the ledger lists: person (upsert by ID number) or house (upsert by grid, compound, building, unit, room)", Required = true };
        var within = new Option<string?>("--within") { Description = "Division code under which 所属网格 names are looked up" };
        var sheet = new Option<string?>("--sheet") { Description = "The .xlsx sheet (default the first)" };
        var ledger = new Command("ledger", "Import a ledger (台账) of persons or houses; rejected rows are written beside FILE as FILE.rejects.xlsx");
        ledger.Arguments.Add(file);
        ledger.Options.Add(type);
        ledger.Options.Add(within);
        ledger.Options.Add(sheet);
        ledger.SetAction(async (parse, ct) => await InScope(services, async sp =>
        {
            var path = parse.GetValue(file)!;
            var kind = parse.GetValue(type);
            if (kind is not ("person" or "house"))
            {
                await Console.Error.WriteLineAsync($"unknown --type {kind}: person or house");
                return 2;
            }
            if (!path.Exists)
            {
                await Console.Error.WriteLineAsync($"no such file: {path.FullName}");
                return 2;
            }
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var rejects = Path.Combine(path.DirectoryName!, Path.GetFileNameWithoutExtension(path.Name) + ".rejects.xlsx");
            await using var stream = path.OpenRead();
            var options = new LedgerImportOptions(path.Name, Within: parse.GetValue(within), Sheet: parse.GetValue(sheet), RejectsPath: rejects);
            var result = kind == "house"
                ? await sp.GetRequiredService<HouseImporter>().ImportAsync(stream, options, ct)
                : await sp.GetRequiredService<PersonImporter>().ImportAsync(stream, options, ct);
            if (!result.IsSuccess)
            {
                var problems = result.Error!.Fields?.GetValueOrDefault("file") ?? [result.Error.Message];
                foreach (var problem in problems)
                {
                    await Console.Error.WriteLineAsync(problem);
                }
                return 2;
            }
            var report = result.Value;
            foreach (var error in report.Errors.Take(200))
            {
                await Console.Error.WriteLineAsync($"row {error.Row} [{error.Column}]: {error.Reason}");
            }
            if (report.Rejected > 0)
            {
                await Console.Out.WriteLineAsync($"rejected rows with their reasons: {rejects}");
            }
            await Console.Out.WriteLineAsync(
                $"{report.Rows} rows ({report.Format}{(report.Encoding is null ? "" : ", " + report.Encoding)}) in {report.Elapsed.TotalSeconds:F1} s: {report.Unchanged} unchanged");
            await Console.Out.WriteLineAsync($"imported {report.Imported}, updated {report.Updated}, rejected {report.Rejected}");
            return report.Rejected == 0 ? 0 : 1;
        }));
        return ledger;
    }

    private static Command UsersCommand(IServiceProvider services)
    {
        var users = new Command("users", "Sign-in accounts: add, reset a password, disable, issue an Open311 client's API key");
        var name = new Argument<string>("name") { Description = "The user name (case-insensitive, 3-64 letters, digits or . _ - @)" };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", Roles.All)}", Required = true };
        var jurisdiction = new Option<string>("--jurisdiction") { Description = "The division or grid code the role holds", Required = true };
        var department = new Option<string?>("--department") { Description = "Department code (department officers)" };
        var password = new Option<string?>("--password") { Description = "The password; generated and printed when left out" };
        var phone = new Option<string?>("--phone") { Description = "Mobile phone (mainland, 1[3-9] + 9 digits; +86, spaces, dashes allowed); stored encrypted" };
        var add = new Command("add", "Create a user holding one role within a jurisdiction");
        add.Arguments.Add(name);
        add.Options.Add(role);
        add.Options.Add(jurisdiction);
        add.Options.Add(department);
        add.Options.Add(password);
        add.Options.Add(phone);
        add.SetAction(async (parse, ct) => await InScope(services, async sp =>
        {
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var given = parse.GetValue(password);
            var result = await sp.GetRequiredService<IUserAccounts>().CreateAsync(parse.GetValue(name)!,
                new RoleGrant(parse.GetValue(role)!, parse.GetValue(jurisdiction)!, parse.GetValue(department)), given,
                phone: parse.GetValue(phone), cancellationToken: ct);
            var exit = await PrintCredentialsAsync(result, "created", printPassword: given is null);
            // An Open311 client signs its reports with an API key rather than a password.
            return exit == 0 && parse.GetValue(role) == Roles.Open311 ? await PrintApiKeyAsync(sp, parse.GetValue(name)!, ct) : exit;
        }));
        users.Subcommands.Add(add);

        var key = new Command("key", $"Issue a new API key to an {Roles.Open311} client (printed once, stored hashed); its earlier key stops working");
        key.Arguments.Add(name);
        key.SetAction(async (parse, ct) => await InScope(services, async sp =>
        {
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            return await PrintApiKeyAsync(sp, parse.GetValue(name)!, ct);
        }));
        users.Subcommands.Add(key);

        var reset = new Command("reset", "Give a user a new generated password (printed) and lift a lockout; --totp removes a lost second factor instead");
        var totp = new Option<bool>("--totp") { Description = "Remove the user's one-time-code second factor (lost phone) and end its sessions; the password stays" };
        reset.Arguments.Add(name);
        reset.Options.Add(totp);
        reset.SetAction(async (parse, ct) => await InScope(services, async sp =>
        {
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var accounts = sp.GetRequiredService<IUserAccounts>();
            if (parse.GetValue(totp))
            {
                var cleared = await accounts.ResetTotpAsync(parse.GetValue(name)!, ct);
                if (!cleared.IsSuccess)
                {
                    await Console.Error.WriteLineAsync(cleared.Error!.Message);
                    return 1;
                }
                await Console.Out.WriteLineAsync($"user {parse.GetValue(name)}: second factor removed, sessions ended; enrol again at /account/totp");
                return 0;
            }
            var result = await accounts.ResetPasswordAsync(parse.GetValue(name)!, ct);
            return await PrintCredentialsAsync(result, "reset", printPassword: true);
        }));
        users.Subcommands.Add(reset);

        foreach (var (verb, description, grant) in new (string, string, bool)[]
        {
            ("grant", "Give a user one more role within a jurisdiction (at most four jurisdictions a user)", true),
            ("revoke", "Take a role within a jurisdiction away from a user", false),
        })
        {
            var command = new Command(verb, description);
            command.Arguments.Add(name);
            command.Options.Add(role);
            command.Options.Add(jurisdiction);
            command.Options.Add(department);
            command.SetAction(async (parse, ct) => await InScope(services, async sp =>
            {
                await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
                var accounts = sp.GetRequiredService<IUserAccounts>();
                var roleGrant = new RoleGrant(parse.GetValue(role)!, parse.GetValue(jurisdiction)!, parse.GetValue(department));
                var result = grant
                    ? await accounts.GrantAsync(parse.GetValue(name)!, roleGrant, ct)
                    : await accounts.RevokeAsync(parse.GetValue(name)!, roleGrant, ct);
                if (!result.IsSuccess)
                {
                    await Console.Error.WriteLineAsync(result.Error!.Message);
                    return 1;
                }
                await Console.Out.WriteLineAsync(
                    $"user {parse.GetValue(name)} {(grant ? "now holds" : "no longer holds")} {roleGrant.Role} in {roleGrant.JurisdictionCode}");
                return 0;
            }));
            users.Subcommands.Add(command);
        }

        var disable = new Command("disable", "Disable a user and revoke its refresh tokens");
        disable.Arguments.Add(name);
        disable.SetAction(async (parse, ct) => await InScope(services, async sp =>
        {
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var result = await sp.GetRequiredService<IUserAccounts>().DisableAsync(parse.GetValue(name)!, ct);
            if (!result.IsSuccess)
            {
                await Console.Error.WriteLineAsync(result.Error!.Message);
                return 1;
            }
            await Console.Out.WriteLineAsync($"user {parse.GetValue(name)} disabled; its refresh tokens are revoked");
            return 0;
        }));
        users.Subcommands.Add(disable);
        return users;
    }

    private static Command KeysCommand(IServiceProvider services)
    {
        var keys = new Command("keys", "The field key ring that encrypts people's data (ID numbers, phones)");
        var rotate = new Command("rotate",
            "Add a new field key and make it current; restart the web server to use it (it then re-encrypts in the background)");
        rotate.SetAction(async (_, _) => await InScope(services, async sp =>
        {
            var result = sp.GetRequiredService<FieldKeys>().Rotate();
            if (!result.IsSuccess)
            {
                await Console.Error.WriteLineAsync(result.Error!.Message);
                return 2;
            }
            var rotation = result.Value;
            await Console.Out.WriteLineAsync(
                $"field key ring {rotation.Path}: version {rotation.CurrentVersion} is now current ({rotation.Keys} keys)");
            await Console.Out.WriteLineAsync(
                "restart the web server so it encrypts with the new key and re-encrypts older values in the background, or run `keys reencrypt` after the restart");
            return 0;
        }));
        keys.Subcommands.Add(rotate);

        var reencrypt = new Command("reencrypt", "Re-encrypt every protected value still under an older key with the current one, and print counts");
        reencrypt.SetAction(async (_, ct) => await InScope(services, async sp =>
        {
            await sp.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            var total = 0;
            foreach (var result in await sp.GetRequiredService<FieldKeys>().ReEncryptAllAsync(ct))
            {
                total += result.Count;
                await Console.Out.WriteLineAsync($"{result.Store}: {result.Count} re-encrypted");
            }
            await Console.Out.WriteLineAsync($"re-encrypted {total} value(s) under the current key");
            return 0;
        }));
        keys.Subcommands.Add(reencrypt);
        return keys;
    }

    private static async Task<int> PrintApiKeyAsync(IServiceProvider sp, string userName, CancellationToken ct)
    {
        var issued = await sp.GetRequiredService<IApiKeys>().IssueAsync(userName, ct);
        if (!issued.IsSuccess)
        {
            await Console.Error.WriteLineAsync(issued.Error!.Message);
            return 1;
        }
        await Console.Out.WriteLineAsync($"api key: {issued.Value}");
        return 0;
    }

    private static async Task<int> PrintCredentialsAsync(Result<IssuedCredentials> result, string verb, bool printPassword)
    {
        if (!result.IsSuccess)
        {
            var error = result.Error!;
            await Console.Error.WriteLineAsync(error.Message);
            foreach (var (field, reasons) in error.Fields ?? new Dictionary<string, string[]>())
            {
                await Console.Error.WriteLineAsync($"  {field}: {string.Join("; ", reasons)}");
            }
            return 1;
        }
        var issued = result.Value;
        await Console.Out.WriteLineAsync($"user {issued.UserName} {verb}");
        if (printPassword)
        {
            await Console.Out.WriteLineAsync($"password: {issued.Password}");
        }
        return 0;
    }

    private static async Task<int> InScope(IServiceProvider services, Func<IServiceProvider, Task<int>> action)
    {
        await using var scope = services.CreateAsyncScope();
        try
        {
            return await action(scope.ServiceProvider);
        }
        catch (DemoSeedException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
    }

    private static async Task PrintImportAsync(DivisionImportReport report)
    {
        await Console.Out.WriteLineAsync("level       file            rows  inserted  updated  unchanged  rejected");
        foreach (var l in report.Levels)
        {
            await Console.Out.WriteLineAsync(
                $"{l.Level,-11} {l.File,-14} {l.Rows,5} {l.Inserted,9} {l.Updated,8} {l.Unchanged,10} {l.Rejected,9}");
        }
        foreach (var e in report.Errors.Take(200))
        {
            await Console.Error.WriteLineAsync($"{e.File}:{e.Line} [{e.Column}] {e.Code}: {e.Reason}");
        }
        if (report.Errors.Count > 200)
        {
            await Console.Error.WriteLineAsync($"... and {report.Errors.Count - 200} more rejected rows");
        }
    }
}
