namespace CivicGrid.Modules.Registry.Contracts;

/// <summary>What seeding demo persons did.</summary>
/// <param name="Existing">Persons already in the grids before the seed.</param>
/// <param name="Added">Persons written by this seed.</param>
/// <param name="Elapsed">Generation, encryption and the bulk write.</param>
public sealed record DemoPersonsReport(int Existing, int Added, TimeSpan Elapsed);

/// <summary>Fills a demo district with synthetic but plausible residents.</summary>
public interface IDemoPersons
{
    /// <summary>
    /// Tops the persons living in <paramref name="gridCodes"/> up to <paramref name="count"/>:
    /// deterministic names, valid ID numbers under Baotou's area codes, phones, ethnicities and tags,
    /// spread over the grids, encrypted and written through the bulk path. Idempotent: when
    /// <paramref name="count"/> persons are there already, nothing is written.
    /// </summary>
    Task<DemoPersonsReport> SeedAsync(IReadOnlyList<string> gridCodes, int count, CancellationToken cancellationToken = default);
}

/// <summary>What seeding the demo's places did.</summary>
/// <param name="Houses">Houses written by this seed (0 when the grids had theirs).</param>
/// <param name="Households">Households formed of demo persons not yet living anywhere.</param>
/// <param name="Residents">Persons linked into a house by this seed.</param>
/// <param name="Elapsed">Generation and the bulk writes.</param>
public sealed record DemoHousesReport(int Houses, int Households, int Residents, TimeSpan Elapsed);

/// <summary>Fills a demo district with the places its residents live in.</summary>
public interface IDemoHouses
{
    /// <summary>
    /// Gives each grid a compound of flats (a village's grid: bungalows) unless it has houses, then
    /// forms households of 2-4 of the persons living in no house yet and moves them in. Deterministic
    /// and idempotent; written through the bulk path.
    /// </summary>
    Task<DemoHousesReport> SeedAsync(IReadOnlyList<string> gridCodes, CancellationToken cancellationToken = default);
}

/// <summary>Seeds the demo's 一表通 report templates.</summary>
public interface IDemoTemplates
{
    /// <summary>
    /// Adds the three demo templates (60岁以上独居老人花名册, 退役军人信息采集表, 困难家庭台账) for
    /// <paramref name="area"/> where they are missing; returns how many were added. Idempotent.
    /// </summary>
    Task<int> SeedAsync(string area, CancellationToken cancellationToken = default);
}
