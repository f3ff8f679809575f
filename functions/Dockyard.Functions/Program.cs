using Dockyard.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The isolated worker with the ASP.NET Core integration: the host proxies each HTTP request to this process's Kestrel,
// so functions get the real HttpContext (streamed bodies, chunked uploads) and write the response themselves.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddDockyardFunctions(builder.Configuration);
builder.Build().Run();
