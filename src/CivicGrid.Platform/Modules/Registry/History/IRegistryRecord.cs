namespace CivicGrid.Modules.Registry.History;

/// <summary>
/// A base-data record (person, house, household, organization, place, component ...) whose every
/// field change is kept: who, when, which field, from what to what. Saving such an entity through
/// the DbContext records its changes; bulk paths record theirs explicitly.
/// </summary>
internal interface IRegistryRecord
{
    /// <summary>The record's id.</summary>
    Guid Id { get; }

    /// <summary>The grid the record belongs to: the history is scoped like the record.</summary>
    string GridCode { get; }
}
