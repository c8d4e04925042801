namespace CivicGrid.Web;

/// <summary>
/// Marker for the shared UI strings: <c>SharedResource.resx</c> holds zh-CN (the neutral
/// language), <c>SharedResource.en.resx</c> English. Keys follow shared/GLOSSARY.md.
/// </summary>
#pragma warning disable CA1052 // a marker type for IStringLocalizer<T>, never instantiated
public sealed class SharedResource;
#pragma warning restore CA1052
