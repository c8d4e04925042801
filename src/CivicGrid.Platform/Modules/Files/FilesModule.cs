using CivicGrid.Modules.Files.Contracts;
using CivicGrid.Modules.Files.Storage;
using CivicGrid.Modules.Files.Upload;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CivicGrid.Modules.Files;

/// <summary>Photos and files: a content-addressed blob store, sniffed types, size limits, thumbnails for lists.</summary>
internal static class FilesModule
{
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        services.AddSingleton(sp => FilesSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<IBlobStore, LocalBlobStore>();
        services.AddScoped<FileStore>();
        services.AddScoped<IFileAttachments>(sp => sp.GetRequiredService<FileStore>());
        services.AddScoped<IFileUploads>(sp => sp.GetRequiredService<FileStore>());
        services.AddSingleton<UnattachedFileSweep>().AddHostedService(sp => sp.GetRequiredService<UnattachedFileSweep>());
        return services;
    }

    public static RouteGroupBuilder MapFiles(this RouteGroupBuilder api) => api.MapFileEndpoints();
}
