// The districtsim command: see Commands/ for each command's definition and action.
return DistrictSim.Cli.CliApp.Run(args);
