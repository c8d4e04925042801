using CivicGrid.Modules.Notifications.Contracts;
using CivicGrid.Modules.Notifications.Sms;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CivicGrid.Modules.Notifications;

/// <summary>Notifications: an in-app inbox per user, and text messages through <see cref="ISmsSender"/>.</summary>
internal static class NotificationsModule
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton(sp => NotificationSettings.From(sp.GetRequiredService<IConfiguration>()));
        services.AddScoped<INotifier, Notifier>();
        services.AddScoped<Inbox>();
        services.AddScoped<IUserInbox>(sp => sp.GetRequiredService<Inbox>());
        services.TryAddSingleton<ISmsSender, LoggingSmsSender>();
        services.AddSingleton<SmsOutbox>().AddHostedService(sp => sp.GetRequiredService<SmsOutbox>());
        return services;
    }

    public static RouteGroupBuilder MapNotifications(this RouteGroupBuilder api) => api.MapNotificationEndpoints();
}
