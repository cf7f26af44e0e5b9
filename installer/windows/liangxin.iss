; Inno Setup script: per-user installer of the PyInstaller folder (installer/README.md).
; Build on Windows after `python installer\build.py` (which makes dist\liangxin):
;   iscc /DAppVersion=0.1.0 installer\windows\liangxin.iss
; Needs Inno Setup 6.3 or later and the Simplified Chinese messages file, which
; Inno Setup does not ship: put ChineseSimplified.isl (jrsoftware.org/files/istrans/)
; into Inno Setup's Languages folder.
; Saved as UTF-8 with BOM so the compiler reads the Chinese text correctly.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "两新党建工作台"
#define AppExe "liangxin.exe"

[Setup]
AppId={{6A0E1D52-3C4B-4C1E-9B7A-2F0D5E8C4A11}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
; Per user, no administrator rights: township PCs are often locked down.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\LiangxinDesk
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
SetupIconFile=..\..\desktop\resources\icon.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist
OutputBaseFilename=liangxin-desk-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
CloseApplications=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\..\dist\liangxin\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "两新组织登记、补贴发放、季度报表与组工信息"
Name: "{autoprograms}\{#AppName}（演示数据）"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"; Comment: "打开演示数据库，熟悉各项功能"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The clerk's databases, backups and settings live in {localappdata}\LiangxinDesk
; (platformdirs), outside {app}. The uninstaller removes only the files it
; installed; nothing here may ever name that data folder.
[UninstallDelete]
Type: dirifempty; Name: "{app}"
