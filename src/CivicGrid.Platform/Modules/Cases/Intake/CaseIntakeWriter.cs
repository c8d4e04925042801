using System.Threading.Channels;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Domain;
using CivicGrid.Modules.Files.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CivicGrid.Modules.Cases.Intake;

/// <summary>How the writer settled one intake.</summary>
internal enum IntakeOutcome
{
    /// <summary>The case, its first event and its key are committed.</summary>
    Created,

    /// <summary>The key was taken by an earlier intake: nothing written; the first case is the answer.</summary>
    Retry,

    /// <summary>Not every photo could be attached: nothing of this intake written, its photos untouched.</summary>
    PhotosRefused,
}

/// <summary>One validated intake, its rows built by the request, waiting for the writer.</summary>
internal sealed class CaseIntake(Case created, CaseEvent reported, CaseIdempotencyKey? key, IReadOnlyList<Guid>? photoIds, Guid? uploader)
{
    private readonly TaskCompletionSource<IntakeOutcome> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Case Case { get; } = created;

    public CaseEvent Reported { get; } = reported;

    public CaseIdempotencyKey? Key { get; } = key;

    public IReadOnlyList<Guid>? PhotoIds { get; } = photoIds;

    public Guid? Uploader { get; } = uploader;

    /// <summary>Completes once the intake's outcome is committed (or it failed).</summary>
    public Task<IntakeOutcome> Done => _done.Task;

    public void Settle(IntakeOutcome outcome) => _done.TrySetResult(outcome);

    public void Fail(Exception exception) => _done.TrySetException(exception);
}

/// <summary>
/// Group commit of the case intake (docs/adr/0024). Requests validate, locate, number and build
/// their rows as before, then hand them to this one writer and wait. The writer takes whatever is
/// waiting (up to <see cref="MaxBatch"/>; the batch grows by itself while a commit is under way)
/// and writes it as the system in ONE transaction: the keys already taken (retries) are read in one
/// query, the photos of all the rest attached in one statement (each intake's all or none), the
/// cases, their first events and their keys sent in one round trip (keys with
/// <c>ON CONFLICT DO NOTHING</c>), then one COMMIT; only then is each request told its own outcome.
/// Two intakes with the same key never share a batch: the later waits for the next one and is then
/// a retry. A batch that fails before its commit is written again intake by intake, so one bad
/// intake fails alone; a failed commit fails the whole batch (its fate unknown, as a single
/// intake's was). A request cancelled after handing in does not cancel the batch. Stopping the host
/// drains what is waiting; an intake handed in when the writer is not running (a command-line verb,
/// or after stop) is written on its own by the request.
/// </summary>
internal sealed partial class CaseIntakeWriter(IServiceScopeFactory scopes, ILogger<CaseIntakeWriter> logger) : BackgroundService
{
    public const int MaxBatch = 128;

    private readonly Channel<CaseIntake> _queue = Channel.CreateUnbounded<CaseIntake>();
    private volatile bool _running;
    private volatile TaskCompletionSource? _hold;

    /// <summary>How many intakes the last batch written held (tests).</summary>
    public int LastBatchSize { get; private set; }

    /// <summary>How many intakes are waiting (tests).</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>Writes <paramref name="intake"/> with whatever else is waiting; its outcome once committed.</summary>
    public async Task<IntakeOutcome> WriteAsync(CaseIntake intake)
    {
        if (!_running || !_queue.Writer.TryWrite(intake))
        {
            await WriteBatchAsync([intake]);
        }
        return await intake.Done;
    }

    /// <summary>Keeps the writer from taking a batch until disposed, so tests can line intakes up in one batch.</summary>
    public IDisposable Hold()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = hold;
        return new Released(() =>
        {
            _hold = null;
            hold.TrySetResult();
        });
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Nothing new comes in; what is waiting is still written (the loop ends when the queue is empty).
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _running = true;
        var deferred = new List<CaseIntake>();
        // Not the stopping token: stopping completes the queue, and the loop drains it first.
        while (deferred.Count > 0 || await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            if (_hold is { } hold)
            {
                await hold.Task;
            }
            var batch = new List<CaseIntake>();
            var keys = new HashSet<(string, string)>();
            var later = new List<CaseIntake>();
            foreach (var intake in deferred)
            {
                Take(intake);
            }
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var intake))
            {
                Take(intake);
            }
            deferred = later;
            await WriteBatchAsync(batch);

            void Take(CaseIntake intake)
            {
                // A twin of an intake in this batch (same user and key) waits for the next batch, where it is a retry.
                if (batch.Count < MaxBatch && (intake.Key is not { } key || keys.Add((key.UserName, key.Key))))
                {
                    batch.Add(intake);
                }
                else
                {
                    later.Add(intake);
                }
            }
        }
        _running = false;
    }

    /// <summary>Writes a batch; every intake in it is settled or failed when this returns.</summary>
    private async Task WriteBatchAsync(IReadOnlyList<CaseIntake> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var committing = false;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CivicGridDbContext>();
            var outcomes = await WriteInTransactionAsync(db, scope.ServiceProvider.GetRequiredService<IFileAttachments>(), batch,
                () => committing = true);
            LastBatchSize = batch.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Settle(outcomes[i]);
            }
        }
#pragma warning disable CA1031 // every intake must be answered: the exception goes to the requests
        catch (Exception e) when (batch.Count > 1 && !committing)
        {
            // Nothing was committed: each intake again on its own, so one bad intake fails alone.
            LogBatchRetried(logger, batch.Count, e);
            foreach (var intake in batch)
            {
                await WriteBatchAsync([intake]);
            }
        }
        catch (Exception e)
        {
            foreach (var intake in batch)
            {
                intake.Fail(e);
            }
        }
#pragma warning restore CA1031
    }

    private static async Task<IntakeOutcome[]> WriteInTransactionAsync(CivicGridDbContext db, IFileAttachments files,
        IReadOnlyList<CaseIntake> batch, Action committing)
    {
        var outcomes = new IntakeOutcome[batch.Count];
        await using var transaction = await db.Database.BeginTransactionAsync();

        // Retries of committed intakes: their key is taken. One query for the batch.
        var keyed = batch.Where(i => i.Key is not null).Select(i => i.Key!).ToList();
        if (keyed.Count > 0)
        {
            var users = keyed.Select(k => k.UserName).Distinct().ToList();
            var names = keyed.Select(k => k.Key).Distinct().ToList();
            var taken = (await db.Set<CaseIdempotencyKey>().AsNoTracking()
                    .Where(k => users.Contains(k.UserName) && names.Contains(k.Key))
                    .Select(k => new { k.UserName, k.Key }).ToListAsync())
                .Select(k => (k.UserName, k.Key)).ToHashSet();
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch[i].Key is { } key && taken.Contains((key.UserName, key.Key)))
                {
                    outcomes[i] = IntakeOutcome.Retry;
                }
            }
        }

        // The photos of the others: each intake's all or none, in one statement.
        var withPhotos = Enumerable.Range(0, batch.Count)
            .Where(i => outcomes[i] == IntakeOutcome.Created && batch[i].PhotoIds is { Count: > 0 }).ToList();
        if (withPhotos.Count > 0)
        {
            var attached = await files.AttachEachAsync([.. withPhotos.Select(i =>
                new FileAttachment(batch[i].PhotoIds!, batch[i].Case.Id, batch[i].Case.GridCode, batch[i].Uploader))]);
            for (var j = 0; j < withPhotos.Count; j++)
            {
                if (!attached[j])
                {
                    outcomes[withPhotos[j]] = IntakeOutcome.PhotosRefused;
                }
            }
        }

        // Cases, first events and keys: one round trip.
        var created = Enumerable.Range(0, batch.Count).Where(i => outcomes[i] == IntakeOutcome.Created).Select(i => batch[i]).ToList();
        if (created.Count > 0)
        {
            var newKeys = created.Where(i => i.Key is not null).Select(i => (object)i.Key!).ToList();
            var inserted = await RowWriter.InsertAsync(db, [.. created.Select(i => (object)i.Case), .. created.Select(i => (object)i.Reported)],
                newKeys);
            if (inserted != newKeys.Count)
            {
                // Another writer (another instance) committed one of these keys since the read above: roll
                // back, and the intakes written one by one find it taken.
                throw new InvalidOperationException($"{newKeys.Count - inserted} idempotency key(s) were taken meanwhile.");
            }
        }
        committing();
        await transaction.CommitAsync();
        return outcomes;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} case intakes failed before its commit; writing them one by one")]
    private static partial void LogBatchRetried(ILogger logger, int count, Exception exception);

    private sealed class Released(Action release) : IDisposable
    {
        public void Dispose() => release();
    }
}
