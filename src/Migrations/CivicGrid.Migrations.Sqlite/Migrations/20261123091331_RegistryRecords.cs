using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CivicGrid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class RegistryRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "registry_changes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ChangeSetId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EntityType = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    Operation = table.Column<string>(type: "TEXT", unicode: false, maxLength: 10, nullable: false),
                    Field = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    OldValue = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    NewValue = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Protected = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChangedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ChangedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_changes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_components",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Class = table.Column<int>(type: "INTEGER", nullable: false),
                    Subclass = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_components", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_organizations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    CreditCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: true),
                    LegalRepresentative = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    PhoneCipher = table.Column<byte[]>(type: "BLOB", nullable: true),
                    PhoneIndex = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_organizations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_places",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponsiblePerson = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    Lon = table.Column<double>(type: "REAL", nullable: true),
                    Lat = table.Column<double>(type: "REAL", nullable: true),
                    Address = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_places", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_special_entries",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    RiskLevel = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponsiblePerson = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    NotesCipher = table.Column<byte[]>(type: "BLOB", nullable: true),
                    GridCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 18, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_special_entries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registry_tags",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false),
                    Active = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registry_tags", x => x.Name);
                });

            migrationBuilder.InsertData(
                table: "registry_tags",
                columns: new[] { "Name", "Active", "Group", "SortOrder", "UpdatedBy" },
                values: new object[,]
                {
                    { "低保", true, "社会救助", 90, null },
                    { "低收入", true, "社会救助", 110, null },
                    { "党员", true, "其他", 170, null },
                    { "军烈属", true, "优抚对象", 130, null },
                    { "困难户", true, "关爱对象", 50, null },
                    { "失独家庭", true, "关爱对象", 60, null },
                    { "志愿者", true, "其他", 180, null },
                    { "服务型", true, "居民类型", 150, null },
                    { "楼栋长", true, "其他", 190, null },
                    { "残疾人", true, "关爱对象", 70, null },
                    { "特困供养", true, "社会救助", 100, null },
                    { "独居老人", true, "关爱对象", 10, null },
                    { "留守儿童", true, "关爱对象", 40, null },
                    { "留守老人", true, "关爱对象", 30, null },
                    { "空巢老人", true, "关爱对象", 20, null },
                    { "管理型", true, "居民类型", 160, null },
                    { "资源型", true, "居民类型", 140, null },
                    { "退役军人", true, "优抚对象", 120, null },
                    { "重病患者", true, "关爱对象", 80, null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_registry_changes_GridCode_ChangedAt",
                table: "registry_changes",
                columns: new[] { "GridCode", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_changes_RecordId_ChangedAt",
                table: "registry_changes",
                columns: new[] { "RecordId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_components_Code",
                table: "registry_components",
                column: "Code");

            migrationBuilder.CreateIndex(
                name: "IX_registry_components_GridCode",
                table: "registry_components",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_components_GridCode_Class",
                table: "registry_components",
                columns: new[] { "GridCode", "Class" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_organizations_CreditCode",
                table: "registry_organizations",
                column: "CreditCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_organizations_GridCode",
                table: "registry_organizations",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_organizations_PhoneIndex",
                table: "registry_organizations",
                column: "PhoneIndex");

            migrationBuilder.CreateIndex(
                name: "IX_registry_places_GridCode",
                table: "registry_places",
                column: "GridCode");

            migrationBuilder.CreateIndex(
                name: "IX_registry_special_entries_GridCode_Kind",
                table: "registry_special_entries",
                columns: new[] { "GridCode", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_registry_special_entries_PersonId",
                table: "registry_special_entries",
                column: "PersonId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registry_changes");

            migrationBuilder.DropTable(
                name: "registry_components");

            migrationBuilder.DropTable(
                name: "registry_organizations");

            migrationBuilder.DropTable(
                name: "registry_places");

            migrationBuilder.DropTable(
                name: "registry_special_entries");

            migrationBuilder.DropTable(
                name: "registry_tags");
        }
    }
}
