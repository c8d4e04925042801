using System.Collections.Concurrent;
using CivicGrid.Infrastructure.Data;
using CivicGrid.Modules.Cases.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace CivicGrid.Modules.Cases.Queries;

/// <summary>
/// Case detail reads in groups (docs/adr/0026): on PostgreSQL the reads waiting at one moment go to
/// the database as one query (<c>WHERE id = ANY(…)</c>, the timelines joined), one round trip for
/// them all, instead of one round trip each. A round trip between two processes costs both of them
/// a wake-up, and on this kind of machine that, not the query, was most of a detail read. At most
/// <see cref="MaxReaders"/> groups are in flight; the requests arriving meanwhile form the next ones,
/// so a lone read waits for nobody. The rows are read past the jurisdiction filter, once for
/// everybody, and each request gets its case only if its own filter lets it through
/// (<see cref="CivicGridDbContext.InScope"/>), else "not found" as before.
/// </summary>
internal sealed class CaseDetailReads(IDbContextFactory<CivicGridDbContext> contexts, IConfiguration configuration)
{
    /// <summary>The most reads one query answers.</summary>
    public const int MaxBatch = 64;

    /// <summary>The most group queries at once (each holds one pooled connection).</summary>
    public const int MaxReaders = 2;

    private readonly ConcurrentQueue<Waiting> _queue = new();
    private readonly bool _configured = configuration.GetValue("Cases:GroupedDetailReads", true);
    private int _readers;

    /// <summary>How many reads the last group answered (tests).</summary>
    public int LastBatchSize { get; private set; }

    /// <summary>Whether reads through <paramref name="db"/> go in groups: on PostgreSQL unless turned off.</summary>
    public bool AppliesTo(CivicGridDbContext db) => _configured && db.Database.IsNpgsql();

    /// <summary>The case <paramref name="id"/> with its timeline, read unfiltered (the caller applies his scope); null if none.</summary>
    public Task<CaseWithTimeline?> ReadAsync(Guid id, CancellationToken cancellationToken)
    {
        var waiting = new Waiting(id);
        _queue.Enqueue(waiting);
        TryLead();
        return waiting.Done.Task.WaitAsync(cancellationToken);
    }

    private void TryLead()
    {
        while (!_queue.IsEmpty)
        {
            var readers = Volatile.Read(ref _readers);
            if (readers >= MaxReaders)
            {
                // A reader running now takes what is queued when its query returns.
                return;
            }
            if (Interlocked.CompareExchange(ref _readers, readers + 1, readers) == readers)
            {
                // Not in the request's execution context: the reader serves everybody.
                using (ExecutionContext.SuppressFlow())
                {
                    _ = Task.Run(LeadAsync, CancellationToken.None);
                }
                return;
            }
        }
    }

    private async Task LeadAsync()
    {
        try
        {
            while (true)
            {
                var batch = new List<Waiting>(MaxBatch);
                while (batch.Count < MaxBatch && _queue.TryDequeue(out var waiting))
                {
                    batch.Add(waiting);
                }
                if (batch.Count == 0)
                {
                    return;
                }
                await ReadBatchAsync(batch);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _readers);
            // A read queued while every reader was busy and this one was leaving.
            TryLead();
        }
    }

    private async Task ReadBatchAsync(List<Waiting> batch)
    {
        try
        {
            var ids = batch.Select(w => w.Id).Distinct().ToList();
            await using var db = await contexts.CreateDbContextAsync();
            var found = await db.Set<Case>().IgnoreQueryFilters().AsNoTracking()
                .Where(c => ids.Contains(c.Id))
                .Select(c => new CaseWithTimeline(c, db.Set<CaseEvent>().Where(e => e.CaseId == c.Id).OrderBy(e => e.Sequence).ToList()))
                .ToListAsync();
            var byId = found.ToDictionary(f => f.Case.Id);
            LastBatchSize = batch.Count;
            foreach (var waiting in batch)
            {
                waiting.Done.TrySetResult(byId.GetValueOrDefault(waiting.Id));
            }
        }
#pragma warning disable CA1031 // every waiting read must be answered: the exception goes to each
        catch (Exception e)
        {
            foreach (var waiting in batch)
            {
                waiting.Done.TrySetException(e);
            }
        }
#pragma warning restore CA1031
    }

    private sealed class Waiting(Guid id)
    {
        public Guid Id { get; } = id;

        public TaskCompletionSource<CaseWithTimeline?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
