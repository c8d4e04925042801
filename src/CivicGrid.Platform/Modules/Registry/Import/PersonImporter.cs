using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading.Channels;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Infrastructure.Errors;
using CivicGrid.Modules.Geography.Contracts;
using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Modules.Registry.Tags;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace CivicGrid.Modules.Registry.Import;

/// <summary>How to run a ledger import.</summary>
/// <param name="FileName">The uploaded or given file's name (format hint, audit, report).</param>
/// <param name="DryRun">Validate everything and preview, write nothing.</param>
/// <param name="Mapping">Header text → field name; null uses the remembered mapping of this template, then the usual headers.</param>
/// <param name="Sheet">The xlsx sheet (default the first).</param>
/// <param name="Within">Where 所属网格 names are looked up (default the caller's jurisdictions; required for the system).</param>
/// <param name="RejectsPath">Where to write the rejected rows (.xlsx); default a file of the run in the server's import folder.</param>
/// <param name="Id">The run's id (the page chooses it to poll the progress); default new.</param>
internal sealed record LedgerImportOptions(
    string FileName, bool DryRun = false, IReadOnlyDictionary<string, string>? Mapping = null, string? Sheet = null, string? Within = null,
    string? RejectsPath = null, Guid? Id = null);

/// <summary>
/// The person ledger import (台账导入): streams a .csv/.xlsx in chunks; each chunk is validated and
/// encrypted in parallel, checked against the file's earlier rows and the registered document
/// numbers (blind indexes loaded once), then new persons go through <see cref="BulkWriter"/> (COPY /
/// prepared inserts) and changed ones through <see cref="PersonBulkUpdate"/>. Bad rows never hold the
/// others back: each is reported with row, column and reason and written to a rejects .xlsx.
/// </summary>
internal sealed class PersonImporter(
    CivicGridDbContext db, IDbContextFactory<CivicGridDbContext> contexts, ICaller caller, IFieldProtector protector, IAuditLog audit,
    IDivisionDirectory divisions, TimeProvider time)
{
    public const int ChunkSize = 5000;

    /// <summary>How many new persons SQLite writes per transaction.</summary>
    private const int SqliteWriteRows = 25_000;
    public const int PreviewRows = 20;
    public const int MaxReportedErrors = 1000;

    private static readonly JsonSerializerOptions DetailJson = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Where the rejects of API and page imports are kept.</summary>
    public static string RejectsFolder => Path.Combine(Path.GetTempPath(), "civicgrid-imports");

    public async Task<Result<LedgerImportReport>> ImportAsync(Stream stream, LedgerImportOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var opened = LedgerFile.TryOpen(stream, options.FileName, options.Sheet);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }
        using (var file = opened.Value)
        {
            var signature = LedgerColumns.Signature(file.Headers);
            var mapping = options.Mapping ?? await RememberedAsync(signature, cancellationToken);
            LedgerColumns columns;
            try
            {
                columns = LedgerColumns.Resolve(file.Headers, mapping);
            }
            catch (LedgerColumnsException e)
            {
                var fields = new FieldErrors();
                foreach (var problem in e.Problems)
                {
                    fields.Add("file", problem);
                }
                foreach (var header in e.Headers)
                {
                    fields.Add("headers", header);
                }
                return fields.ToError("registry.import_columns", e.Message)!;
            }
            if (options.Mapping is not null && !options.DryRun)
            {
                await RememberAsync(signature, columns, cancellationToken);
            }
            return await RunAsync(file, columns, options, clock, cancellationToken);
        }
    }

    /// <summary>The progress of a run of the caller's (404 for anyone else's).</summary>
    public async Task<Result<ImportProgress>> ProgressAsync(Guid id, CancellationToken cancellationToken)
    {
        var run = await FindRunAsync(id, cancellationToken);
        return run is null
            ? Error.NotFound("registry.import_not_found", $"没有导入 {id}")
            : new ImportProgress(run.Id, run.Status, run.FileName, run.Processed, run.Imported, run.Updated, run.Unchanged, run.Rejected,
                run.RejectsPath is null ? null : RejectsUrl(run.Id));
    }

    /// <summary>The rejected rows of a run of the caller's, as the .xlsx file path.</summary>
    public async Task<Result<string>> RejectsAsync(Guid id, CancellationToken cancellationToken)
    {
        var run = await FindRunAsync(id, cancellationToken);
        if (run is null)
        {
            return Error.NotFound("registry.import_not_found", $"没有导入 {id}");
        }
        return run.RejectsPath is { } path && File.Exists(path)
            ? path
            : Error.NotFound("registry.no_rejects", "该导入没有被拒绝的行");
    }

    public static string RejectsUrl(Guid id) => $"/api/v1/imports/{id}/rejects.xlsx";

    private async Task<ImportRun?> FindRunAsync(Guid id, CancellationToken cancellationToken)
    {
        var run = await db.Set<ImportRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        // A run is its author's: another user (even above him) does not see its rejected rows.
        return run is null || (!caller.IsSystem && run.CreatedBy != caller.Name) ? null : run;
    }

    private async Task<LedgerImportReport> RunAsync(LedgerFile file, LedgerColumns columns, LedgerImportOptions options, Stopwatch clock,
        CancellationToken cancellationToken)
    {
        var id = options.Id ?? Guid.CreateVersion7(time.GetUtcNow());
        var now = time.GetUtcNow();
        ImportRun? run = null;
        if (!options.DryRun)
        {
            run = new ImportRun { Id = id, FileName = Trim(options.FileName, 260), CreatedBy = caller.Name, CreatedAt = now };
            db.Add(run);
            await db.SaveChangesAsync(cancellationToken);
            db.Entry(run).State = EntityState.Detached;
        }

        var plan = new RowPlan(columns, protector, time, await TagCatalog.ActiveAsync(db, cancellationToken));
        var existing = await LoadExistingAsync(plan, cancellationToken);
        // Read by the checking threads while the file is placed: its keys never change after the load (a
        // changed person's entry is updated in place), so reading it from several threads is safe.
        Predicate<UInt128> isRegistered = existing.ContainsKey;
        var places = new GridPlaces(caller, divisions, options.Within);
        var seen = new Dictionary<UInt128, int>();
        // The new persons' ids ascend: PostgreSQL and SQLite append them to the primary key.
        var ids = new OrderedIds(now);
        var errors = new List<ImportRowError>();
        var preview = new List<PreviewRow>();
        var rejectsPath = options.DryRun ? null : options.RejectsPath ?? Path.Combine(RejectsFolder, $"{id}.xlsx");
        await using var rejects = new RejectSpool(columns.Headers);
        int rows = 0, imported = 0, updated = 0, unchanged = 0, rejected = 0;
        Task<LedgerRow[]?>? reading = null;
        // The writes run on a task of their own, with a context (and connection) of their own: while
        // a batch goes to the database the next rows are read, checked and encrypted, at most one
        // batch ahead (memory stays bounded).
        var batches = Channel.CreateBounded<WriteBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        Task<(int Imported, int Updated)>? writing = null;
        if (!options.DryRun)
        {
            var target = contexts.CreateDbContext();
            target.Scope = db.Scope;
            writing = Task.Run(() => WriteAsync(target, batches, id, plan.Updates, cancellationToken), CancellationToken.None);
        }
        try
        {
            using var chunks = file.Rows.Where(r => r.Cells.Any(c => !string.IsNullOrWhiteSpace(c))).Chunk(ChunkSize).GetEnumerator();
            // Pipelined: while a batch is written, the next chunk is checked and encrypted (CPU, no
            // database) and the one after it is read from the file (a thread of its own: parsing the
            // .csv or the .xlsx XML is a tenth of the work).
            Task<LedgerRow[]?> ReadNext() => Task.Run(() => chunks.MoveNext() ? chunks.Current : null, cancellationToken);
            reading = ReadNext();
            var sqlite = DatabaseMigrator.IsSqlite(db);
            // On SQLite the writer is the engine itself, on this machine's cores: the rows are checked on
            // one thread, which keeps ahead of it, and leaves it the other core.
            var evaluation = new ParallelOptions { MaxDegreeOfParallelism = sqlite ? 1 : -1 };
            async Task<(LedgerRow[] Chunk, Task<RowOutcome[]> Outcomes)?> StartNextAsync()
            {
                if (await reading! is not { } next)
                {
                    return null;
                }
                reading = ReadNext();
                await places.ResolveAsync(next.Select(r => (columns.Cell(r, LedgerField.GridCode), columns.Cell(r, LedgerField.GridName))),
                    cancellationToken);
                return (next, Task.Run(() =>
                {
                    var outcomes = new RowOutcome[next.Length];
                    Parallel.For(0, next.Length, evaluation, i => outcomes[i] = plan.Evaluate(next[i], places, isRegistered));
                    return outcomes;
                }, cancellationToken));
            }
            var pending = await StartNextAsync();
            var inserts = new List<Person>();
            var updates = new List<Person>();
            while (pending is { } current)
            {
                var chunk = current.Chunk;
                var outcomes = await current.Outcomes;
                // The next chunk is checked while this one is placed (the placing is one thread's work).
                pending = await StartNextAsync();
                for (var i = 0; i < chunk.Length; i++)
                {
                    var outcome = outcomes[i];
                    var problems = outcome.Problems;
                    if (problems.Count == 0)
                    {
                        problems = Place(outcome, seen, existing, columns, inserts, updates, ref unchanged, now, ids);
                    }
                    if (problems.Count > 0)
                    {
                        rejected++;
                        if (errors.Count < MaxReportedErrors)
                        {
                            errors.AddRange(problems.Take(MaxReportedErrors - errors.Count));
                        }
                        rejects.Add(chunk[i], problems);
                    }
                    if (preview.Count < PreviewRows)
                    {
                        preview.Add(new PreviewRow(chunk[i].Number, chunk[i].Cells, problems));
                    }
                }
                rows += chunk.Length;
                if (options.DryRun)
                {
                    imported += inserts.Count;
                    inserts.Clear();
                    updated += updates.Count;
                    updates.Clear();
                }
                else
                {
                    // On until the writer has taken it: one chunk is written while the next is built, no more.
                    await batches.Writer.WriteAsync(new WriteBatch(inserts, updates, rows, unchanged, rejected), cancellationToken);
                    await batches.Writer.WaitToWriteAsync(cancellationToken);
                    inserts = [];
                    updates = [];
                }
            }
            batches.Writer.Complete();
            if (writing is not null)
            {
                (imported, updated) = await writing;
            }
            if (rejectsPath is not null && rejected > 0)
            {
                await rejects.SaveAsync(rejectsPath, cancellationToken);
            }
        }
        catch (Exception failure)
        {
            batches.Writer.TryComplete(failure);
            Exception? writeFailure = null;
            if (writing is not null)
            {
                // The writer stops at the failure; the run is marked only once it has.
                try
                {
                    await writing;
                }
                catch (Exception e)
                {
                    writeFailure = e;
                }
            }
            if (run is not null)
            {
                await db.Set<ImportRun>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, ImportRun.Failed).SetProperty(r => r.FinishedAt, time.GetUtcNow()), CancellationToken.None);
            }
            // The writer's own error, not the closed channel it left the reader with.
            if (failure is ChannelClosedException && writeFailure is not null)
            {
                ExceptionDispatchInfo.Throw(writeFailure);
            }
            throw;
        }
        finally
        {
            // A failed write may leave a read under way: the file is closed only after it.
            if (reading is not null)
            {
                await reading.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }
        }

        var hasRejects = rejectsPath is not null && rejected > 0;
        if (run is not null)
        {
            await db.Set<ImportRun>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, ImportRun.Done).SetProperty(r => r.FinishedAt, time.GetUtcNow())
                .SetProperty(r => r.RejectsPath, hasRejects ? rejectsPath : null), cancellationToken);
            var detail = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["file"] = run.FileName,
                ["format"] = file.Format,
                ["rows"] = rows,
                ["imported"] = imported,
                ["updated"] = updated,
                ["unchanged"] = unchanged,
                ["rejected"] = rejected,
            }, DetailJson);
            await audit.AppendAsync(new AuditEntry(caller.Name, "registry.persons_imported", $"import:{id}", detail, caller.Ip),
                cancellationToken);
        }
        return new LedgerImportReport(id, options.FileName, file.Format, file.EncodingName, options.DryRun, rows, imported, updated, unchanged,
            rejected, errors, hasRejects && options.RejectsPath is null ? RejectsUrl(id) : null, columns.Headers, columns.Mapping, preview,
            clock.Elapsed);
    }

    /// <summary>
    /// Writes the batches in order on <paramref name="target"/> (one connection, and on SQLite one large
    /// page cache, for the whole import): new persons by the bulk path, changed ones by
    /// <see cref="PersonBulkUpdate"/>, then the run's progress. A failure closes the channel, so the
    /// reading side stops too.
    /// </summary>
    private static async Task<(int Imported, int Updated)> WriteAsync(CivicGridDbContext target, Channel<WriteBatch> batches, Guid id,
        PersonUpdateColumns updateColumns, CancellationToken cancellationToken)
    {
        int imported = 0, updated = 0;
        try
        {
            await using (target)
            {
                await using var session = await BulkWriter.SessionAsync(target, cancellationToken);
                // SQLite writes every index page a transaction touched into its WAL again at each commit; the
                // blind indexes are random, so a commit per chunk rewrote nearly all of them. There one
                // transaction spans the chunks of SqliteWriteRows rows: the rows still come a chunk at a
                // time, so no more than two chunks of persons are held (docs/adr/0030). The first chunk is
                // committed on its own, so that the run's progress shows early. PostgreSQL commits each
                // chunk's COPY.
                var sqlite = DatabaseMigrator.IsSqlite(target);
                IDbContextTransaction? transaction = null;
                var uncommitted = 0;
                try
                {
                    await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
                    {
                        if (sqlite)
                        {
                            transaction ??= await target.Database.BeginTransactionAsync(cancellationToken);
                        }
                        if (batch.Inserts.Count > 0)
                        {
                            imported += await BulkWriter.InsertAsync(target, batch.Inserts, cancellationToken);
                        }
                        updated += await PersonBulkUpdate.RunAsync(target, batch.Updates, updateColumns, cancellationToken);
                        await target.Set<ImportRun>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                            .SetProperty(r => r.Processed, batch.Rows).SetProperty(r => r.Imported, imported).SetProperty(r => r.Updated, updated)
                            .SetProperty(r => r.Unchanged, batch.Unchanged).SetProperty(r => r.Rejected, batch.Rejected), cancellationToken);
                        uncommitted += batch.Inserts.Count + batch.Updates.Count;
                        if (transaction is not null && uncommitted >= (imported + updated == uncommitted ? ChunkSize : SqliteWriteRows))
                        {
                            await transaction.CommitAsync(cancellationToken);
                            await transaction.DisposeAsync();
                            transaction = null;
                            uncommitted = 0;
                        }
                    }
                    if (transaction is not null)
                    {
                        await transaction.CommitAsync(cancellationToken);
                    }
                }
                finally
                {
                    if (transaction is not null)
                    {
                        await transaction.DisposeAsync();
                    }
                }
            }
        }
        catch (Exception e)
        {
            batches.Writer.TryComplete(e);
            throw;
        }
        return (imported, updated);
    }

    /// <summary>What the writer does next: the new and the changed persons, and the run's counts once they are written.</summary>
    private sealed record WriteBatch(List<Person> Inserts, List<Person> Updates, int Rows, int Unchanged, int Rejected);

    /// <summary>The checks that need the whole file and the database: duplicates, existing persons, their jurisdiction.</summary>
    private IReadOnlyList<ImportRowError> Place(RowOutcome outcome, Dictionary<UInt128, int> seen, Dictionary<UInt128, Registered> existing,
        LedgerColumns columns, List<Person> inserts, List<Person> updates, ref int unchanged, DateTimeOffset now, OrderedIds ids)
    {
        var key = outcome.Key;
        var idColumn = columns.HeaderOf(LedgerField.IdNumber);
        if (!seen.TryAdd(key, outcome.Row))
        {
            return [new ImportRowError(outcome.Row, idColumn, $"证件号码与第 {seen[key]} 行重复")];
        }
        if (existing.TryGetValue(key, out var registered))
        {
            if (!caller.Covers(registered.GridCode) || !caller.Can(Capabilities.RegistryWrite, registered.GridCode))
            {
                // Said the way the API says it: the number is taken, nothing about where.
                return [new ImportRowError(outcome.Row, idColumn, "该证件号码已登记（不在您可修改的辖区内）")];
            }
            if (registered.Fingerprint == outcome.Fingerprint)
            {
                unchanged++;
            }
            else
            {
                var person = outcome.ToPerson(Guid.Empty, now, caller.Name);
                updates.Add(person);
                registered.GridCode = person.GridCode;
                registered.Fingerprint = outcome.Fingerprint;
            }
            return [];
        }
        inserts.Add(outcome.ToPerson(ids.Next(), now, caller.Name));
        return [];
    }

    /// <summary>Every registered document number (all jurisdictions: one person is registered once), with its grid and fingerprint.</summary>
    private async Task<Dictionary<UInt128, Registered>> LoadExistingAsync(RowPlan plan, CancellationToken cancellationToken)
    {
        var result = new Dictionary<UInt128, Registered>();
        var grids = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var p in db.Set<Person>().IgnoreQueryFilters().AsNoTracking().Where(p => p.DocumentIndex != null)
                           .Select(p => new
                           {
                               p.DocumentIndex,
                               p.Name,
                               p.DocumentType,
                               p.PhoneIndex,
                               p.Sex,
                               p.BirthDate,
                               p.EthnicityCode,
                               p.HouseholdType,
                               p.Address,
                               p.GridCode,
                               p.Tags,
                           })
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var grid = grids.TryGetValue(p.GridCode, out var shared) ? shared : grids[p.GridCode] = p.GridCode;
            result[Key(p.DocumentIndex!)] = new Registered(grid, plan.Fingerprint(p.Name, p.DocumentType, p.PhoneIndex, p.Sex, p.BirthDate,
                p.EthnicityCode, p.HouseholdType, p.Address, p.GridCode, p.Tags));
        }
        return result;
    }

    private async Task<IReadOnlyDictionary<string, string>?> RememberedAsync(string signature, CancellationToken cancellationToken)
    {
        var template = await db.Set<ImportTemplate>().AsNoTracking().SingleOrDefaultAsync(t => t.Signature == signature, cancellationToken);
        return template is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(template.Mapping);
    }

    private async Task RememberAsync(string signature, LedgerColumns columns, CancellationToken cancellationToken)
    {
        var template = await db.Set<ImportTemplate>().SingleOrDefaultAsync(t => t.Signature == signature, cancellationToken);
        if (template is null)
        {
            template = new ImportTemplate { Signature = signature };
            db.Add(template);
        }
        template.Headers = Trim(JsonSerializer.Serialize(columns.Headers, DetailJson), 4000);
        template.Mapping = JsonSerializer.Serialize(columns.Mapping, DetailJson);
        template.UpdatedAt = time.GetUtcNow();
        template.UpdatedBy = caller.Name;
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(template).State = EntityState.Detached;
    }

    internal static UInt128 Key(byte[] index) => BinaryPrimitives.ReadUInt128LittleEndian(index);

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>A registered person as the import compares him; changed in place when a row updates him.</summary>
    private sealed class Registered(string gridCode, UInt128 fingerprint)
    {
        public string GridCode { get; set; } = gridCode;

        public UInt128 Fingerprint { get; set; } = fingerprint;
    }
}

/// <summary>A row after the checks that need no database: its problems, or the person's values encrypted and indexed.</summary>
internal sealed class RowOutcome
{
    public required int Row { get; init; }

    /// <summary>The row's problems; none (a shared empty one) for a valid row.</summary>
    public IReadOnlyList<ImportRowError> Problems { get; init; } = [];

    public ValidPerson? Valid { get; init; }

    public UInt128 Key { get; init; }

    /// <summary>The values' hash, for comparing with a registered person (computed only for those: zero for a new one).</summary>
    public UInt128 Fingerprint { get; init; }

    public byte[]? DocumentCipher { get; init; }

    public byte[]? DocumentIndex { get; init; }

    public byte[]? DocumentTailIndex { get; init; }

    public byte[]? PhoneCipher { get; init; }

    public byte[]? PhoneIndex { get; init; }

    public byte[]? PhoneTailIndex { get; init; }

    public Person ToPerson(Guid id, DateTimeOffset at, string by)
    {
        var v = Valid!;
        return new Person(id, at, by)
        {
            Name = v.Name,
            NameInitials = PinyinInitials.Of(v.Name),
            DocumentType = v.DocumentType,
            DocumentCipher = DocumentCipher,
            DocumentIndex = DocumentIndex,
            DocumentTailIndex = DocumentTailIndex,
            PhoneCipher = PhoneCipher,
            PhoneIndex = PhoneIndex,
            PhoneTailIndex = PhoneTailIndex,
            Sex = v.Sex,
            BirthDate = v.BirthDate,
            EthnicityCode = v.EthnicityCode,
            HouseholdType = v.HouseholdType,
            Address = v.Address,
            GridCode = v.GridCode,
            Tags = Person.JoinTags(v.Tags),
        };
    }
}

/// <summary>How the cells of a row become a person: parsing, <see cref="PersonRules"/>, grid, encryption (thread-safe).</summary>
internal sealed class RowPlan(LedgerColumns columns, IFieldProtector protector, TimeProvider time, IReadOnlySet<string>? knownTags = null)
{
    /// <summary>Slots for tails of four digits (0-9999), and of three digits and an X (10000-10999, an ID number's check character).</summary>
    private const int TailSlots = 11_000;

    // The blind indexes of the tails met so far, by kind; shared by the threads (a race computes one twice, the same bytes).
    private readonly byte[]?[] _idTails = new byte[TailSlots][];
    private readonly byte[]?[] _phoneTails = new byte[TailSlots][];

    private static readonly char[] TagSeparators = ['、', ',', '，', ';', '；', '|', ' ', '　'];

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy.M.d", "yyyy年M月d日"];

    private static readonly Dictionary<string, LedgerField> RuleFields = new(StringComparer.Ordinal)
    {
        ["name"] = LedgerField.Name,
        ["idNumber"] = LedgerField.IdNumber,
        ["documentType"] = LedgerField.DocumentType,
        ["sex"] = LedgerField.Sex,
        ["birthDate"] = LedgerField.BirthDate,
        ["ethnicity"] = LedgerField.Ethnicity,
        ["householdType"] = LedgerField.HouseholdType,
        ["phone"] = LedgerField.Phone,
        ["address"] = LedgerField.Address,
        ["gridCode"] = LedgerField.GridCode,
        ["tags"] = LedgerField.Tags,
    };

    /// <summary>The optional fields present in the file: an update sets these (and the name, grid, sex and birth date), and keeps the rest.</summary>
    public PersonUpdateColumns Updates { get; } = new(
        columns.Has(LedgerField.Phone), columns.Has(LedgerField.Ethnicity), columns.Has(LedgerField.HouseholdType),
        columns.Has(LedgerField.Address), columns.Has(LedgerField.Tags));

    /// <summary>
    /// The blind index of a number's last four characters. There are only about 10,000 of them (digits), so
    /// each is computed once per import and shared by the rows (an HMAC costs more than the look-up, an
    /// array slot by the digits' value).
    /// </summary>
    private byte[] TailIndex(string normalized, FieldKind kind)
    {
        var slots = kind switch
        {
            FieldKind.IdNumber => _idTails,
            FieldKind.Phone => _phoneTails,
            _ => null,
        };
        var slot = normalized.Length < 4 || slots is null ? -1 : TailSlot(normalized.AsSpan(normalized.Length - 4));
        if (slot < 0)
        {
            return protector.BlindIndex(PersonRules.Tail(normalized), kind);
        }
        return slots![slot] ??= protector.BlindIndex(PersonRules.Tail(normalized), kind);
    }

    /// <summary>The slot of a tail of digits, or of three digits and X; -1 for any other (computed each time).</summary>
    internal static int TailSlot(ReadOnlySpan<char> tail)
    {
        var value = 0;
        for (var i = 0; i < 3; i++)
        {
            if (!char.IsAsciiDigit(tail[i]))
            {
                return -1;
            }
            value = value * 10 + (tail[i] - '0');
        }
        return tail[3] switch
        {
            >= '0' and <= '9' => value * 10 + (tail[3] - '0'),
            'X' => 10_000 + value,
            _ => -1,
        };
    }

    /// <summary>
    /// Checks and encrypts a row. <paramref name="isRegistered"/> says which document numbers are already
    /// registered: only their rows get a fingerprint (a new person has nothing to compare with); null computes it for all.
    /// </summary>
    public RowOutcome Evaluate(LedgerRow row, GridPlaces places, Predicate<UInt128>? isRegistered = null)
    {
        // A row's problems (most rows have none: the list, like everything here, is made only when needed).
        List<ImportRowError>? problems = null;
        // The row is passed, not captured: captured, it moved the closure to the heap (16 bytes a row).
        void Problem(LedgerRow row, LedgerField field, string reason) =>
            (problems ??= []).Add(new ImportRowError(row.Number, columns.HeaderOf(field), reason));

        var documentType = ParseDocumentType(columns.Cell(row, LedgerField.DocumentType), out var bad);
        if (bad)
        {
            Problem(row, LedgerField.DocumentType, "证件类型须为 居民身份证、护照、港澳台居民通行证、出生医学证明 之一");
        }
        var sex = ParseSex(columns.Cell(row, LedgerField.Sex), out bad);
        if (bad)
        {
            Problem(row, LedgerField.Sex, "性别须为 男 或 女");
        }
        DateOnly? birthDate = null;
        if (columns.Cell(row, LedgerField.BirthDate) is { } birthText)
        {
            if (TryParseIsoDate(birthText, out var date)
                || DateOnly.TryParseExact(birthText, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                birthDate = date;
            }
            else
            {
                Problem(row, LedgerField.BirthDate, $"出生日期“{birthText}”无法识别（如 1990-01-31）");
            }
        }
        var household = ParseHousehold(columns.Cell(row, LedgerField.HouseholdType), out bad);
        if (bad)
        {
            Problem(row, LedgerField.HouseholdType, "户籍类型须为 户籍、流动 或 境外");
        }

        var gridField = columns.Cell(row, LedgerField.GridCode) is not null || !columns.Has(LedgerField.GridName)
            ? LedgerField.GridCode
            : LedgerField.GridName;
        var place = places.Place(columns.Cell(row, LedgerField.GridCode), columns.Cell(row, LedgerField.GridName));
        var input = new PersonInput(columns.Cell(row, LedgerField.Name), documentType, columns.Cell(row, LedgerField.IdNumber), sex, birthDate,
            columns.Cell(row, LedgerField.Ethnicity), household, columns.Cell(row, LedgerField.Phone), columns.Cell(row, LedgerField.Address),
            place.Code ?? (gridField == LedgerField.GridCode ? columns.Cell(row, LedgerField.GridCode) : "000000000000000"),
            columns.Cell(row, LedgerField.Tags)?.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries));
        var validated = PersonRules.Validate(input, time, knownTags);
        if (!validated.IsSuccess)
        {
            foreach (var (key, messages) in validated.Error!.Fields ?? new Dictionary<string, string[]>())
            {
                if (key == "gridCode" && place.Problem is not null)
                {
                    continue;
                }
                var field = RuleFields.GetValueOrDefault(key, LedgerField.Name);
                if (field == LedgerField.GridCode)
                {
                    field = gridField;
                }
                // A document type that was defaulted, not typed: the number is what is wrong.
                if (field == LedgerField.DocumentType && !columns.Has(LedgerField.DocumentType))
                {
                    field = LedgerField.IdNumber;
                }
                var header = columns.HeaderOf(field);
                if (problems is null || !problems.Exists(p => p.Column == header))
                {
                    Problem(row, field, string.Join("；", messages));
                }
            }
        }
        if (place.Problem is not null)
        {
            Problem(row, gridField, place.Problem);
        }
        if (problems is not null || !validated.IsSuccess)
        {
            problems ??= [];
            problems.Sort((a, b) => columns.Headers.ToList().IndexOf(a.Column).CompareTo(columns.Headers.ToList().IndexOf(b.Column)));
            return new RowOutcome { Row = row.Number, Problems = problems };
        }

        var valid = validated.Value;
        var number = valid.DocumentNumber!;
        var index = protector.BlindIndex(number, FieldKind.IdNumber);
        var phoneIndex = valid.Phone is null ? null : protector.BlindIndex(valid.Phone, FieldKind.Phone);
        var documentKey = PersonImporter.Key(index);
        return new RowOutcome
        {
            Row = row.Number,
            Valid = valid,
            Key = documentKey,
            Fingerprint = isRegistered is not null && !isRegistered(documentKey)
                ? default
                : Fingerprint(valid.Name, valid.DocumentType, phoneIndex, valid.Sex, valid.BirthDate, valid.EthnicityCode,
                    valid.HouseholdType, valid.Address, valid.GridCode, Person.JoinTags(valid.Tags)),
            DocumentCipher = protector.Encrypt(number, FieldKind.IdNumber),
            DocumentIndex = index,
            DocumentTailIndex = TailIndex(number, FieldKind.IdNumber),
            PhoneCipher = valid.Phone is null ? null : protector.Encrypt(valid.Phone, FieldKind.Phone),
            PhoneIndex = phoneIndex,
            PhoneTailIndex = valid.Phone is null ? null : TailIndex(valid.Phone, FieldKind.Phone),
        };
    }

    /// <summary>A hash of the values this file sets: equal means the row changes nothing.</summary>
    public UInt128 Fingerprint(string name, DocumentType type, byte[]? phoneIndex, Sex sex, DateOnly? birthDate, string? ethnicity,
        HouseholdType household, string? address, string grid, string tags)
    {
        // The values as bytes in one buffer, each text with its length first (no separator can be
        // forged by a value), hashed at once: no string, hex or StringBuilder on the way.
        var size = 64 + 3 * (name.Length + grid.Length + (ethnicity?.Length ?? 0) + (address?.Length ?? 0) + tags.Length);
        var rented = size <= 1024 ? null : ArrayPool<byte>.Shared.Rent(size);
        Span<byte> buffer = rented is null ? stackalloc byte[1024] : rented;
        var at = 0;
        Int(ref at, buffer, (int)type);
        Int(ref at, buffer, (int)sex);
        Int(ref at, buffer, birthDate?.DayNumber ?? -1);
        Text(ref at, buffer, name);
        Text(ref at, buffer, grid);
        if (Updates.Phone)
        {
            buffer[at++] = phoneIndex is null ? (byte)0 : (byte)1;
            phoneIndex?.CopyTo(buffer[at..]);
            at += phoneIndex?.Length ?? 0;
        }
        if (Updates.Ethnicity)
        {
            Text(ref at, buffer, ethnicity);
        }
        if (Updates.HouseholdType)
        {
            Int(ref at, buffer, (int)household);
        }
        if (Updates.Address)
        {
            Text(ref at, buffer, address);
        }
        if (Updates.Tags)
        {
            Text(ref at, buffer, tags);
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..at], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);

        static void Int(ref int at, Span<byte> buffer, int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer[at..], value);
            at += 4;
        }

        static void Text(ref int at, Span<byte> buffer, string? value)
        {
            var length = value is null ? -1 : Encoding.UTF8.GetBytes(value, buffer[(at + 4)..]);
            Int(ref at, buffer, length);
            at += Math.Max(length, 0);
        }
    }

    /// <summary><c>yyyy-MM-dd</c>, the usual form, read without the general parser (which costs a microsecond).</summary>
    private static bool TryParseIsoDate(string text, out DateOnly date)
    {
        date = default;
        if (text.Length != 10 || text[4] != '-' || text[7] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            || !int.TryParse(text.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }
        date = new DateOnly(year, month, day);
        return true;
    }

    private static DocumentType? ParseDocumentType(string? text, out bool bad)
    {
        bad = false;
        switch (text)
        {
            case null or "居民身份证" or "身份证" or "IdCard":
                return DocumentType.IdCard;
            case "护照" or "Passport":
                return DocumentType.Passport;
            case "港澳台居民通行证" or "港澳台居民居住证" or "港澳居民来往内地通行证" or "台湾居民来往大陆通行证" or "HkMacaoTaiwanPermit":
                return DocumentType.HkMacaoTaiwanPermit;
            case "出生医学证明" or "BirthCertificate":
                return DocumentType.BirthCertificate;
            default:
                bad = true;
                return null;
        }
    }

    private static Sex? ParseSex(string? text, out bool bad)
    {
        bad = false;
        switch (text)
        {
            case null:
                return null;
            case "男" or "男性" or "Male" or "1":
                return Sex.Male;
            case "女" or "女性" or "Female" or "2":
                return Sex.Female;
            default:
                bad = true;
                return null;
        }
    }

    private static HouseholdType? ParseHousehold(string? text, out bool bad)
    {
        bad = false;
        switch (text)
        {
            case null or "户籍" or "户籍人口" or "常住" or "Registered":
                return HouseholdType.Registered;
            case "流动" or "流动人口" or "Floating":
                return HouseholdType.Floating;
            case "境外" or "境外人员" or "Overseas":
                return HouseholdType.Overseas;
            default:
                bad = true;
                return null;
        }
    }
}
