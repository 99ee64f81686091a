/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/**
 * Administrative level (行政级别) of a region, and of an agency: the level of its jurisdiction's
 * region code, so a province's departments are PROVINCE level even when they sit in the capital city.
 */
export type RegionLevel =
  /** 市级: a prefecture-level city, 自治州, 地区 or 盟 (code XXYY00, e.g. 430100 长沙市). */
  | 'CITY'
  /** 县级: a county, county-level city, 市辖区 district, 旗 or development zone (any other code, e.g. 430102 芙蓉区). */
  | 'COUNTY'
  /** 省级: a province, autonomous region or 直辖市 (code XX0000, e.g. 430000 湖南省, 110000 北京市). */
  | 'PROVINCE';

export type CheckTokenQueryVariables = Exact<{ [key: string]: never; }>;


export type CheckTokenQuery = { sectors: Array<{ code: string }> };

export type ProvincesQueryVariables = Exact<{ [key: string]: never; }>;


export type ProvincesQuery = { regions: Array<{ code: string, name: string }> };

export type RegionPlaceQueryVariables = Exact<{
  code: string | number;
}>;


export type RegionPlaceQuery = { region: { code: string, name: string, level: RegionLevel, ancestors: Array<{ code: string, name: string, level: RegionLevel }>, children: Array<{ code: string, name: string, level: RegionLevel }> } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CheckTokenDocument = new TypedDocumentString(`
    query CheckToken {
  sectors {
    code
  }
}
    `, {"hash":"sha256:7c318c616a68f1ad9473bb33dc198a370f4806f91b7aec4a26a70a4cbc40fa9d"}) as unknown as TypedDocumentString<CheckTokenQuery, CheckTokenQueryVariables>;
export const ProvincesDocument = new TypedDocumentString(`
    query Provinces {
  regions(level: PROVINCE) {
    code
    name
  }
}
    `, {"hash":"sha256:6536821f7cb0729b52c23cbd2869535c317bb31e635eeef18b7db1c864fa1404"}) as unknown as TypedDocumentString<ProvincesQuery, ProvincesQueryVariables>;
export const RegionPlaceDocument = new TypedDocumentString(`
    query RegionPlace($code: ID!) {
  region(code: $code) {
    code
    name
    level
    ancestors {
      code
      name
      level
    }
    children {
      code
      name
      level
    }
  }
}
    `, {"hash":"sha256:e5226511fddc0041dddd4a655de22f66f1ef5857f5f72392473a53e54887b291"}) as unknown as TypedDocumentString<RegionPlaceQuery, RegionPlaceQueryVariables>;