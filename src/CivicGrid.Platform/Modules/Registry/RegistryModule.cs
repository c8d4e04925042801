using CivicGrid.Modules.Identity.Contracts;
using CivicGrid.Modules.Registry.Contracts;
using CivicGrid.Modules.Registry.Demo;
using CivicGrid.Modules.Registry.History;
using CivicGrid.Modules.Registry.Houses;
using CivicGrid.Modules.Registry.Import;
using CivicGrid.Modules.Registry.Organizations;
using CivicGrid.Modules.Registry.Persons;
using CivicGrid.Modules.Registry.Special;
using CivicGrid.Modules.Registry.Tags;
using CivicGrid.Modules.Registry.Templates;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Registry;

/// <summary>Base data (人地事物情组织): persons (实有人口) and their field history, tags and special registers; organizations, places, components.</summary>
internal static class RegistryModule
{
    public static IServiceCollection AddRegistry(this IServiceCollection services) =>
        services.AddScoped<PersonDirectory>()
            .AddScoped<IProtectedFieldStore, PersonFieldStore>()
            .AddScoped<IDemoPersons, DemoPersons>()
            .AddScoped<IDemoHouses, DemoHouses>()
            .AddScoped<ICompoundPlaces, CompoundPlaces>()
            .AddScoped<PersonImporter>()
            .AddScoped<PersonExport>()
            .AddScoped<HousePlaces>()
            .AddScoped<HouseDirectory>()
            .AddScoped<Contracts.IVersionCheckedHouseUse, VersionCheckedHouseUse>()
            .AddScoped<Contracts.IDoorstepHouseholds, DoorstepHouseholdList>()
            .AddScoped<ResidenceBook>()
            .AddScoped<VisitLog>()
            .AddScoped<HouseImporter>()
            .AddSingleton<DivisionNameCache>()
            .AddScoped<DivisionNames>()
            .AddScoped<TemplateFill>()
            .AddScoped<TemplateDirectory>()
            .AddScoped<IDemoTemplates, DemoTemplates>()
            .AddSingleton<ISaveChangesInterceptor, RegistryHistoryInterceptor>()
            .AddScoped<RegistryHistory>()
            .AddScoped<TagCatalog>()
            .AddScoped<SpecialRegisters>()
            .AddScoped<IProtectedFieldStore, SpecialNotesStore>()
            .AddScoped<LocatedServices>()
            .AddScoped<OrganizationRecords>()
            .AddScoped<PlaceRecords>()
            .AddScoped<ComponentRecords>()
            .AddScoped<IProtectedFieldStore, OrganizationPhoneStore>();

    public static RouteGroupBuilder MapRegistry(this RouteGroupBuilder api) =>
        api.MapImportEndpoints().MapPersonEndpoints().MapHouseEndpoints().MapTemplateEndpoints().MapHistoryEndpoints().MapTagEndpoints()
            .MapSpecialRegisterEndpoints().MapLocatedRecordEndpoints();
}
