using System.Reflection;
using Dockyard.Core.Errors;
using Microsoft.Extensions.DependencyInjection;

namespace Dockyard.Http.Tests.Health;

/// <summary>
/// Wraps the real store registered for <typeparamref name="T"/>: every call goes through to it until the test says it is
/// down, then every call throws <see cref="StorageUnavailableException"/> as a backend that cannot be reached does.
/// </summary>
public class FailingStore<T> : DispatchProxy where T : class
{
    private T inner = null!;
    private Func<bool> down = null!;

    /// <summary>Registers the wrapper in place of the composition's <typeparamref name="T"/>; <paramref name="down"/> says when it fails.</summary>
    public static void Replace(IServiceCollection services, Func<bool> down)
    {
        var original = services.Last(d => d.ServiceType == typeof(T));
        services.Remove(original);
        services.AddSingleton(sp =>
        {
            var real = (T)(original.ImplementationInstance ?? original.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!));
            var proxy = Create<T, FailingStore<T>>();
            var failing = (FailingStore<T>)(object)proxy;
            failing.inner = real;
            failing.down = down;
            return proxy;
        });
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (down())
        {
            throw new StorageUnavailableException("injected: the store is down", backend: "test");
        }
        try
        {
            return targetMethod!.Invoke(inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
